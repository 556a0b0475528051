package io.waitkit.cli.named;

import io.waitkit.ipc.NamedObject;
import io.waitkit.ipc.NamedObjectInfo;
import io.waitkit.ipc.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit rm NAME…}: unlinks names. An object that some process has open is refused
 * unless {@code --force}, naming the processes (from the {@code flock} that every opener holds
 * on the object's file, as {@code /proc/locks} lists them): processes that keep using an
 * unlinked object no longer meet the processes that open the name afresh.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Removes named objects.",
        description = "Unlinks each NAME. An object in use (openers > 0) is refused with the pids that use it,"
                + " exit code 1, unless --force. Every name is tried; the exit code is the first failure's.")
public final class RmCommand implements Callable<Integer> {
    @Mixin
    private ObjectOptions options;

    @Option(names = {"-f", "--force"}, description = "Remove also objects in use.")
    private boolean force;

    @Parameters(paramLabel = "NAME", arity = "1..*", description = "The names to remove.")
    private List<String> names;

    /** Creates the command; picocli instantiates it. */
    public RmCommand() {
    }

    /**
     * Removes the names.
     *
     * @return the exit code
     */
    @Override
    public Integer call() {
        if (options.onZk()) {
            return options.zkRun(() -> ZkObjects.rm(options, names, force));
        }
        int result = ExitCodes.OK;
        for (String name : names) {
            int code = options.run(() -> remove(name));
            if (result == ExitCodes.OK) {
                result = code;
            }
        }
        return result;
    }

    private int remove(String name) throws Exception {
        Namespace ns = options.namespace();
        NamedObjectInfo info;
        try {
            info = find(ns, name);
        } catch (Failure corrupt) {
            info = null; // a corrupt file can be removed: nobody can open it
        }
        if (info != null && info.openers() > 0) {
            TreeSet<Long> pids = lockHolders(ns.directory().resolve(name));
            String who = pids.isEmpty() ? "" : " by pid " + String.join(", ", pids.stream().map(String::valueOf).toList());
            if (!force) {
                throw new Failure(ExitCodes.TIMEOUT, "refusing to remove '" + name + "': in use (" + info.openers()
                        + " opener" + (info.openers() == 1 ? "" : "s") + ")" + who + "; --force removes it anyway");
            }
            options.warn("removed '" + name + "' while in use" + who);
        }
        if (!ns.unlink(name)) {
            throw new NoSuchFileException(name, null, "no named object '" + name + "'");
        }
        if (options.json) {
            options.out().println(new Json().put("name", name).put("removed", true));
        }
        return ExitCodes.OK;
    }

    /**
     * The snapshot of one object, as {@code ls} shows it.
     *
     * @param ns the namespace
     * @param name the name
     * @return the snapshot
     * @throws IllegalArgumentException if the name is invalid
     * @throws NoSuchFileException if there is no such object
     * @throws Failure with {@link ExitCodes#WRONG_KIND} if the file is corrupt
     * @throws IOException if the namespace cannot be read
     */
    static NamedObjectInfo find(Namespace ns, String name) throws IOException, Failure {
        for (NamedObjectInfo i : ns.list()) {
            if (i.name().equals(name)) {
                if (i.kind().equals("corrupt")) {
                    throw new Failure(ExitCodes.WRONG_KIND, ns.directory().resolve(name) + ": corrupt object: " + i.state());
                }
                return i;
            }
        }
        // not listed: let the library check the name and say what is missing
        try (NamedObject o = ns.openExisting(name, NamedObject.class)) {
            return o.info();
        }
    }

    /**
     * The pids holding a {@code flock} on a file, from {@code /proc/locks} (device and inode).
     *
     * @param file the file
     * @return the pids, empty if unknown
     */
    static TreeSet<Long> lockHolders(Path file) {
        TreeSet<Long> pids = new TreeSet<>();
        try {
            long ino = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
            long dev = ((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                // "1: FLOCK  ADVISORY  READ  1234 00:1a:5678 0 EOF", blocked requests have "->" after "1:"
                String[] t = line.trim().split("\\s+");
                int k = t.length > 1 && t[1].equals("->") ? 2 : 1;
                if (t.length < k + 5) {
                    continue;
                }
                String[] id = t[k + 4].split(":");
                if (id.length == 3 && Long.parseLong(id[2]) == ino && Long.parseLong(id[0], 16) == major
                        && Long.parseLong(id[1], 16) == minor) {
                    long pid = Long.parseLong(t[k + 3]);
                    if (pid > 0) {
                        pids.add(pid);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the refusal stands without pids
        }
        return pids;
    }
}
