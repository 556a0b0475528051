package io.waitkit.cli.named;

import io.waitkit.Wait;
import io.waitkit.ipc.NamedPipe;
import java.io.FileInputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit pipe create|read|write NAME}: named byte pipes between shell commands and
 * programs. {@code write} copies standard input into the pipe, {@code read} copies the pipe to
 * standard output until EOF (every writer closed or died), as a shell pipe does.
 */
@Command(name = "pipe", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        header = "Creates named pipes, writes to and reads from them.",
        description = "A byte stream between processes: 'producer | waitkit pipe write P' in one shell,"
                + " 'waitkit pipe read P | consumer' in another.")
public final class PipeCommand {
    /** Creates the command; picocli instantiates it. */
    public PipeCommand() {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Creates the pipe; an existing one is kept with its own capacity.")
    int create(@Mixin ObjectOptions o,
            @Option(names = "--capacity", paramLabel = "B", defaultValue = "65536", description = "The buffer in bytes (default: ${DEFAULT-VALUE}).") int capacity,
            @Parameters(paramLabel = "NAME", description = "The pipe's name.") String name) {
        if (o.onZk()) {
            return o.notOnZk("pipe: named pipes are objects of one host; there is no pipe on ZooKeeper (--zk)");
        }
        return o.run(() -> {
            try (NamedPipe p = o.namespace().pipe(name, capacity)) {
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("kind", "pipe").put("created", p.created())
                            .put("capacity", p.capacity()));
                }
            }
            return ExitCodes.OK;
        });
    }

    @Command(name = "read", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Copies the pipe to standard output until EOF: once a writer has opened the pipe and every"
                    + " writer has closed it (or died), and the buffer is drained.",
                "--timeout bounds the wait for the first bytes (or EOF): exit code 1 if none come.",
                "Exit code 141 if standard output is closed (as a process killed by SIGPIPE)."})
    int read(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The pipe's name.") String name) {
        if (o.onZk()) {
            return o.notOnZk("pipe: named pipes are objects of one host; there is no pipe on ZooKeeper (--zk)");
        }
        return o.run(() -> {
            try (NamedPipe p = o.open(name, NamedPipe.class); InputStream in = p.openReader()) {
                Duration t = o.timeout();
                if (t != null && Wait.any(t, p.readable()) == Wait.TIMEOUT) {
                    throw new Failure(ExitCodes.TIMEOUT, "pipe '" + name + "': nothing to read within " + t.toMillis() + " ms");
                }
                OutputStream out = o.rawOut();
                byte[] buf = new byte[65536];
                long total = 0;
                for (int n; (n = in.read(buf)) >= 0; ) {
                    try {
                        out.write(buf, 0, n);
                        out.flush();
                    } catch (IOException e) {
                        throw new Failure(ExitCodes.BROKEN_PIPE, null); // stdout closed: quietly, as SIGPIPE
                    }
                    total += n;
                }
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("bytes", total).put("eof", true));
                }
                return ExitCodes.OK;
            }
        });
    }

    @Command(name = "write", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Copies standard input into the pipe until its EOF; the pipe's readers see EOF once every writer"
                    + " is done.",
                "Exit code 141 (as a process killed by SIGPIPE) if every reader of the pipe has gone."})
    int write(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The pipe's name.") String name) {
        if (o.onZk()) {
            return o.notOnZk("pipe: named pipes are objects of one host; there is no pipe on ZooKeeper (--zk)");
        }
        return o.run(() -> {
            try (NamedPipe p = o.open(name, NamedPipe.class); OutputStream out = p.openWriter()) {
                InputStream in = new FileInputStream(FileDescriptor.in);
                byte[] buf = new byte[65536];
                long total = 0;
                for (int n; (n = in.read(buf)) >= 0; ) {
                    try {
                        out.write(buf, 0, n);
                    } catch (InterruptedIOException e) {
                        throw e;
                    } catch (IOException e) {
                        throw new Failure(ExitCodes.BROKEN_PIPE, "pipe '" + name + "': broken pipe (every reader has gone)");
                    }
                    total += n;
                }
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("bytes", total));
                }
                return ExitCodes.OK;
            }
        });
    }
}
