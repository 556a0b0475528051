package io.waitkit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Builds the C peers of the cross-process benchmarks (B7, B8) on the machine that runs them: the
 * source travels in the jar as a resource next to this class ({@code src/main/c/}), is copied into
 * the build folder and compiled there with the machine's {@code gcc -O2}. Where there is no Linux
 * or no compiler, {@link #unavailable} says so and the rows against the C peer are skipped with
 * that reason instead of failing the whole report.
 */
final class CPeer {
    /** The C compiler. */
    static final String CC = "gcc";

    private CPeer() {
    }

    /**
     * Why a C peer cannot be built on this machine.
     *
     * @param what the peer, for the message ({@code the C futex peer})
     * @return the reason, or null if it can be built
     */
    static String unavailable(String what) {
        String os = System.getProperty("os.name", "?");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return what + " needs Linux, this is " + os;
        }
        if (onPath(CC) == null) {
            return "no C compiler: " + CC + " is not on the PATH";
        }
        return null;
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Where the C peers are built: the build folder the jar (or the classes) sit in, {@code target/},
     * else {@code waitkit-bench-c-<user>} in the temporary folder (reused, so runs leave no litter).
     */
    static Path buildDirectory() {
        try {
            Path here = Path.of(CPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = here.getParent();
            if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("target")
                    && Files.isWritable(dir)) {
                return dir;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall back
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_-]", "");
        return Path.of(System.getProperty("java.io.tmpdir"), "waitkit-bench-c-" + user);
    }

    /**
     * Compiles a C peer with {@code gcc -O2 -Wall} (its source comes from the jar).
     *
     * @param dir where the source and the program go
     * @param source the source's resource name, next to this class ({@code b7_futex_pingpong.c})
     * @param libraries what to link after the source ({@code -lrt}), or none
     * @return the program, named as the source without {@code .c}
     * @throws IllegalStateException if the source is missing or the compiler fails
     */
    static Path compile(Path dir, String source, List<String> libraries) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path src = dir.resolve(source);
        try (InputStream in = CPeer.class.getResourceAsStream(source)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + source + " is missing from the jar");
            }
            Files.copy(in, src, StandardCopyOption.REPLACE_EXISTING);
        }
        String name = source.endsWith(".c") ? source.substring(0, source.length() - 2) : source;
        Path exe = dir.resolve(name);
        // built under a name of its own, then moved: two runs at once must not run a half-written program
        Path tmp = dir.resolve(name + "." + ProcessHandle.current().pid() + ".tmp");
        List<String> cmd = new ArrayList<>(List.of(CC, "-O2", "-Wall", "-o", tmp.toString(), src.toString()));
        cmd.addAll(libraries);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.join(" ", cmd) + " did not end within 120 s");
            }
        } finally {
            p.destroyForcibly();
        }
        if (p.exitValue() != 0) {
            Files.deleteIfExists(tmp);
            throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        Files.move(tmp, exe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return exe;
    }
}
