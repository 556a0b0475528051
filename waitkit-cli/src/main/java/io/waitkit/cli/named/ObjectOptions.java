package io.waitkit.cli.named;

import io.waitkit.AbandonedMutexException;
import io.waitkit.ipc.CorruptObjectException;
import io.waitkit.ipc.NamedObject;
import io.waitkit.ipc.Namespace;
import io.waitkit.ipc.NoSuchProcessException;
import io.waitkit.ipc.WrongFairnessException;
import io.waitkit.ipc.WrongKindException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every command on named objects takes ({@code --namespace}, {@code --timeout},
 * {@code --json}, {@code --debug}), and what the commands share: the namespace, the output
 * streams, and the mapping of failures to exit codes and one-line messages.
 */
public final class ObjectOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--namespace", paramLabel = "DIR", defaultValue = "${env:WAITKIT_NAMESPACE}",
            description = "The namespace directory (default: $WAITKIT_NAMESPACE if set, else the user's:"
                    + " $XDG_RUNTIME_DIR/waitkit or /dev/shm/waitkit-UID).")
    private Path namespaceDir;

    @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class,
            description = "The longest wait: 500ms, 5s, 1m, 1h; 0 polls (default: wait forever). Exit code 1 when it elapses.")
    private Duration timeout;

    @Option(names = "--json", description = "Print one JSON object per line (field names: see the README).")
    boolean json;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    private boolean debug;

    @Option(names = "--zk", paramLabel = "CONNECT",
            description = "Work on the objects of a ZooKeeper ensemble instead of this host's: host:port[,host:port...]"
                    + " with an optional chroot path (zk1:2181,zk2:2181/apps), the string a program gives"
                    + " ZkNamespace.connect. The first connection is waited for at most 5 s (exit code 1).")
    private String zk;

    @Option(names = "--zk-root", paramLabel = "PATH",
            description = "With --zk: the root path of the objects (default: /waitkit, where ZkNamespace.connect puts"
                    + " them), under the chroot if CONNECT has one.")
    private String zkRoot;

    private Namespace namespace;
    private OutputStream raw;
    /** The output and error writers when no picocli command line runs this (see {@link ShortCommands}); else null. */
    private PrintWriter out;
    private PrintWriter err;

    /** Creates the options; picocli instantiates them. */
    public ObjectOptions() {
    }

    /**
     * Options set without picocli, as {@link ShortCommands} parses them: the same values that
     * picocli would have set for the same arguments.
     *
     * @param out where output lines go
     * @param err where error lines go
     * @param namespaceDir {@code --namespace}, or else {@code $WAITKIT_NAMESPACE}, or null
     * @param timeout {@code --timeout}, or null
     * @param json {@code --json}
     * @param debug {@code --debug}
     * @return the options
     */
    static ObjectOptions of(PrintWriter out, PrintWriter err, Path namespaceDir, Duration timeout, boolean json,
            boolean debug) {
        ObjectOptions o = new ObjectOptions();
        o.out = out;
        o.err = err;
        o.namespaceDir = namespaceDir;
        o.timeout = timeout;
        o.json = json;
        o.debug = debug;
        return o;
    }

    /** A command body that may fail. */
    @FunctionalInterface
    interface Body {
        /**
         * Runs the command.
         *
         * @return the exit code
         * @throws Exception any failure, mapped by {@link #run}
         */
        int call() throws Exception;
    }

    /**
     * The namespace named by {@code --namespace}, or the user's; opened on first use.
     *
     * @return the namespace
     * @throws IOException if it cannot be opened or is unsafe
     */
    Namespace namespace() throws IOException {
        if (namespace == null) {
            namespace = namespaceDir == null ? Namespace.user() : Namespace.open(namespaceDir);
        }
        return namespace;
    }

    /**
     * Whether the command works on ZooKeeper ({@code --zk} or {@code --zk-root} given; the
     * second alone is reported by {@link #zk()}).
     *
     * @return true to run the command on ZooKeeper
     */
    boolean onZk() {
        return zk != null || zkRoot != null;
    }

    /**
     * Runs a command on ZooKeeper ({@code ZkObjects}), reporting on one line a class path
     * without the ZooKeeper jars (the launcher adds {@code lib/zk/*.jar} for {@code --zk}; a
     * plain {@code java -jar} does not): the JVM links {@code ZkObjects}, and loads the
     * classes it names, when the lambda first calls it, inside this method.
     *
     * @param command the command
     * @return its exit code, or {@link ExitCodes#TIMEOUT} if the classes are missing
     */
    int zkRun(java.util.function.IntSupplier command) {
        try {
            return command.getAsInt();
        } catch (LinkageError e) {
            warn("--zk: the ZooKeeper client is not on the class path (" + e + "); run the waitkit launcher, which adds"
                    + " lib/zk/*.jar for --zk");
            debugTrace(e);
            return ExitCodes.TIMEOUT;
        }
    }

    /**
     * The error of a command that has no counterpart on ZooKeeper: one line, exit code 2.
     *
     * @param what the command and why, for example {@code "pipe: named pipes are objects of one host"}
     * @return {@link ExitCodes#USAGE}
     */
    int notOnZk(String what) {
        warn(what);
        return ExitCodes.USAGE;
    }

    /**
     * The {@code --zk} connect string: the objects are on ZooKeeper.
     *
     * @return the connect string, or null for this host's named objects
     * @throws Failure with {@link ExitCodes#USAGE} if {@code --zk-root} or {@code --namespace}
     *         is given with it, or {@code --zk-root} without it
     */
    String zk() throws Failure {
        if (zk == null && zkRoot != null) {
            throw new Failure(ExitCodes.USAGE, "--zk-root is for the objects on ZooKeeper: give --zk CONNECT too");
        }
        if (zk != null && namespaceDir != null && !namespaceDir.toString().equals(System.getenv("WAITKIT_NAMESPACE"))) {
            throw new Failure(ExitCodes.USAGE, "--namespace names a directory of this host; --zk an ensemble: give one of them");
        }
        return zk;
    }

    /**
     * The {@code --zk-root}.
     *
     * @return the root path of the objects on ZooKeeper, or null for the default
     */
    String zkRoot() {
        return zkRoot;
    }

    /**
     * Prints a stack trace after an error line when {@code --debug} is given.
     *
     * @param e the error
     */
    void debugTrace(Throwable e) {
        if (debug) {
            PrintWriter err = err();
            e.printStackTrace(err);
            err.flush();
        }
    }

    /**
     * The {@code --timeout}, or null to wait forever.
     *
     * @return the timeout or null
     */
    Duration timeout() {
        return timeout;
    }

    /** A wait with no bound, on this host's objects or ZooKeeper's. */
    @FunctionalInterface
    interface Forever<T> {
        /**
         * Waits until done.
         *
         * @return the outcome
         * @throws InterruptedException if interrupted while waiting
         */
        T await() throws InterruptedException;
    }

    /** The same wait, bounded. */
    @FunctionalInterface
    interface Bounded<T> {
        /**
         * Waits until done or the timeout elapses.
         *
         * @param timeout the longest wait
         * @return the outcome, or what the object returns on a timeout ({@code false}, null)
         * @throws InterruptedException if interrupted while waiting
         */
        T await(Duration timeout) throws InterruptedException;
    }

    /**
     * Waits as {@code --timeout} says: without it, forever; with it, bounded by it. The one
     * place where the commands on both back ends choose between the two forms of a wait.
     *
     * @param forever the wait without a bound
     * @param bounded the wait bounded by {@code --timeout}
     * @param <T> the outcome's type
     * @return the outcome of the wait that ran
     * @throws InterruptedException if interrupted while waiting
     */
    <T> T await(Forever<T> forever, Bounded<T> bounded) throws InterruptedException {
        return timeout == null ? forever.await() : bounded.await(timeout);
    }

    /**
     * Where output lines go.
     *
     * @return the command line's output writer
     */
    PrintWriter out() {
        return out != null ? out : mixee.commandLine().getOut();
    }

    /** Where error lines go. */
    private PrintWriter err() {
        return err != null ? err : mixee.commandLine().getErr();
    }

    /**
     * Standard output as bytes (for message and pipe contents), after flushing {@link #out()}.
     *
     * @return the stream
     */
    OutputStream rawOut() {
        out().flush();
        if (raw == null) {
            raw = new FileOutputStream(FileDescriptor.out);
        }
        return raw;
    }

    /**
     * Prints a one-line note on the error stream, after {@code waitkit: }.
     *
     * @param message the note
     */
    void warn(String message) {
        PrintWriter err = err();
        err.println("waitkit: " + message);
        err.flush();
    }

    /**
     * Opens an existing object of this kind.
     *
     * @param name the name
     * @param kind the handle class, or {@code NamedObject.class} for any
     * @param <T> the handle type
     * @return the handle
     * @throws IOException if absent (exit 4), of another kind or corrupt (exit 5), or unreadable
     */
    <T extends NamedObject> T open(String name, Class<T> kind) throws IOException {
        return namespace().openExisting(name, kind);
    }

    /**
     * Runs a command body and maps what it throws to an exit code and a one-line message.
     *
     * @param body the command
     * @return the exit code
     */
    int run(Body body) {
        int code;
        try {
            code = body.call();
        } catch (Failure f) {
            if (f.getMessage() != null) {
                warn(f.getMessage());
            }
            code = f.code;
        } catch (NoSuchFileException e) {
            code = fail(ExitCodes.NO_SUCH_OBJECT, e.getReason() != null ? e.getReason() + " in " + where() : "no such file: " + e.getFile(), e);
        } catch (NoSuchProcessException e) {
            code = fail(ExitCodes.NO_SUCH_OBJECT, e.getMessage(), e);
        } catch (WrongKindException | WrongFairnessException | CorruptObjectException e) {
            code = fail(ExitCodes.WRONG_KIND, e.getMessage(), e);
        } catch (AbandonedMutexException e) {
            code = fail(ExitCodes.ABANDONED, e.getMessage(), e);
        } catch (InterruptedException | InterruptedIOException e) {
            code = fail(ExitCodes.INTERRUPTED, "interrupted", e);
        } catch (IllegalArgumentException e) {
            code = fail(ExitCodes.USAGE, e.getMessage(), e);
        } catch (IOException e) {
            code = fail(ExitCodes.TIMEOUT, e.getMessage(), e);
        } catch (Exception e) {
            code = fail(ExitCodes.TIMEOUT, e.toString(), e);
        } finally {
            out().flush();
        }
        return code;
    }

    private String where() {
        return namespace == null ? "the namespace" : namespace.directory().toString();
    }

    private int fail(int code, String message, Throwable e) {
        warn(message == null ? e.toString() : message);
        if (debug) {
            PrintWriter err = err();
            e.printStackTrace(err);
            err.flush();
        }
        return code;
    }

    /**
     * Converts {@code --timeout} values: a whole number with a unit {@code ms}, {@code s},
     * {@code m} or {@code h}, or {@code 0}; anything else (negative, no unit, another unit) is
     * a usage error.
     */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        /** Creates the converter; picocli instantiates it. */
        public DurationConverter() {
        }

        /**
         * Parses a duration.
         *
         * @param value the text
         * @return the duration
         * @throws TypeConversionException if it is not one of the accepted forms
         */
        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        /**
         * Parses a duration (see the class comment).
         *
         * @param value the text
         * @return the duration
         * @throws TypeConversionException if it is not one of the accepted forms
         */
        static Duration parse(String value) {
            Duration d = parseDurationOrNull(value);
            if (d == null) {
                throw new TypeConversionException("'" + value + "' is not a duration (examples: 500ms, 5s, 1m, 1h, 0 to poll)");
            }
            return d;
        }
    }

    /**
     * Parses a {@code --timeout} value (see {@link DurationConverter}): after trimming, 1 to 12
     * digits then {@code ms}, {@code s}, {@code m}, {@code h} or nothing, where nothing is
     * only allowed for zero.
     *
     * @param value the text
     * @return the duration, or null if the text is not one of the accepted forms
     */
    static Duration parseDurationOrNull(String value) {
        String v = value.trim();
        int digits = 0;
        while (digits < v.length() && v.charAt(digits) >= '0' && v.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 12) {
            return null;
        }
        long n = Long.parseLong(v, 0, digits, 10);
        return switch (v.substring(digits)) {
            case "" -> n == 0 ? Duration.ZERO : null;
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> null;
        };
    }
}
