package io.waitkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell launcher ({@code ./waitkit}, installed as {@code bin/waitkit}) and the dist archive, run
 * as processes: the archive is made by {@code src/build/dist.sh} from this build's classes and the
 * test class path's dependencies (the package phase, which makes the real one, runs after the
 * tests), unpacked, and its {@code bin/waitkit} run from another folder, on this JDK, with the AOT
 * cache in a folder of the test. Every process is bounded by {@link #DEADLINE_SECONDS}.
 */
class LauncherTest {
    private static final long DEADLINE_SECONDS = 180;
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ROOT = MODULE.getParent();

    private static Path work;
    private static Path install;

    /** The exit code and both streams of one run. */
    private record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void makeTheArchiveAndUnpackIt() throws Exception {
        work = Files.createTempDirectory("waitkit-launcher-test-");
        Path target = work.resolve("target");
        Files.createDirectories(target.resolve("lib"));
        jar(MODULE.resolve("target/classes"), target.resolve("waitkit-cli.jar"), null);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            String norm = p.toString().replace('\\', '/');
            if (name.startsWith("picocli-") && name.endsWith(".jar")) {
                Files.copy(p, target.resolve("lib").resolve(name));
            } else if (norm.contains("waitkit-core")) {
                jar(p, target.resolve("lib/waitkit-core-test.jar"), null);
            } else if (norm.contains("waitkit-ipc")) {
                jar(p, target.resolve("lib/waitkit-ipc-test.jar"), null);
            } else if (norm.contains("waitkit-zk")) {
                Files.createDirectories(target.resolve("lib/zk"));
                jar(p, target.resolve("lib/zk/waitkit-zk-test.jar"), null);
            } else if (name.endsWith(".jar") && !name.matches("(junit|opentest4j|apiguardian|jspecify|surefire).*")) {
                // Curator, ZooKeeper and their dependencies: the jars only --zk needs
                Files.createDirectories(target.resolve("lib/zk"));
                Files.copy(p, target.resolve("lib/zk").resolve(name));
            }
        }
        Run dist = run(work, Map.of(), "sh", ROOT.resolve("waitkit-cli/src/build/dist.sh").toString(), ROOT.toString(),
                target.toString(), "test");
        assertEquals(0, dist.code(), dist.err() + dist.out());
        Path archive = target.resolve("waitkit-test.tar.gz");
        assertTrue(Files.isRegularFile(archive), dist.out());
        Path unpacked = Files.createDirectories(work.resolve("unpacked"));
        Run tar = run(unpacked, Map.of(), "tar", "-xzf", archive.toString());
        assertEquals(0, tar.code(), tar.err());
        install = unpacked.resolve("waitkit-test");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work != null) {
            delete(work);
        }
    }

    @Test
    void theArchivesLauncherRunsHelpFromAnotherFolder(@TempDir Path elsewhere, @TempDir Path aot) throws Exception {
        Run r = waitkit(install, elsewhere, aot, "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Usage: waitkit"), r.out());
        assertTrue(r.out().contains("event"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void versionNamesTheVersionTheCommitAndTheBuildTime(@TempDir Path elsewhere, @TempDir Path aot) throws Exception {
        Run r = waitkit(install, elsewhere, aot, "--version");
        assertEquals(0, r.code(), r.err());
        String first = r.out().lines().findFirst().orElse("");
        assertTrue(first.matches("waitkit \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{7,40}(-dirty)?, built "
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)"), first);
        assertTrue(r.out().contains("Java "), r.out());
    }

    @Test
    void theFirstRunMakesACacheAndLaterRunsKeepIt(@TempDir Path elsewhere, @TempDir Path aot) throws Exception {
        Run first = waitkit(install, elsewhere, aot, "--version");
        assertEquals(0, first.code(), first.err());
        Path cache = onlyCache(aot);
        FileTime made = Files.getLastModifiedTime(cache);
        Run second = waitkit(install, elsewhere, aot, "--version");
        assertEquals(0, second.code(), second.err());
        assertEquals(first.out(), second.out());
        assertEquals(cache, onlyCache(aot));
        assertEquals(made, Files.getLastModifiedTime(cache), "the cache was remade without a reason");
    }

    @Test
    void theShortCommandsHaveACacheOfTheirOwnThatTheOtherCommandsLeaveAlone(@TempDir Path elsewhere, @TempDir Path aot,
            @TempDir Path ns) throws Exception {
        Run create = waitkit(install, elsewhere, aot, "event", "create", "e", "--namespace", ns.toString());
        assertEquals(0, create.code(), create.err());
        Path shortCache = onlyCache(aot);
        assertTrue(shortCache.getFileName().toString().startsWith("waitkit-short-"), shortCache.toString());
        FileTime made = Files.getLastModifiedTime(shortCache);
        Run version = waitkit(install, elsewhere, aot, "--version");
        assertEquals(0, version.code(), version.err());
        Run set = waitkit(install, elsewhere, aot, "event", "set", "e", "--namespace", ns.toString(), "--json");
        assertEquals(0, set.code(), set.err());
        assertEquals("{\"name\":\"e\",\"signaled\":true}", set.out().strip());
        Run again = waitkit(install, elsewhere, aot, "--version");
        assertEquals(version.out(), again.out());
        try (Stream<Path> s = Files.list(aot)) {
            List<String> caches = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".aot")).sorted().toList();
            assertEquals(2, caches.size(), "one cache of each kind: " + caches);
            assertTrue(caches.contains(shortCache.getFileName().toString()), caches.toString());
        }
        assertEquals(made, Files.getLastModifiedTime(shortCache), "the short commands' cache was remade without a reason");
    }

    @Test
    void theZooKeeperJarsJoinTheClassPathOnlyForACommandLineWithZk(@TempDir Path elsewhere, @TempDir Path aot,
            @TempDir Path ns) throws Exception {
        assertTrue(Files.isDirectory(install.resolve("lib/zk")), "the archive has lib/zk");
        Run local = waitkit(install, elsewhere, aot, "ls", "--namespace", ns.toString());
        assertEquals(0, local.code(), local.err());
        Path cache = onlyCache(aot);
        String cp = Files.readString(cache.resolveSibling(cache.getFileName().toString().replace(".aot", ".cp")));
        assertTrue(cp.contains("waitkit-core"), cp);
        assertFalse(cp.contains("/lib/zk/"), "a local command's class path has no ZooKeeper jar: " + cp);
        // a malformed connect string is refused by waitkit-zk, which only lib/zk/ holds
        Run zk = run(elsewhere, Map.of("JAVA_HOME", System.getProperty("java.home"), "WAITKIT_AOT", "off"),
                install.resolve("bin/waitkit").toString(), "ls", "--zk", "localhost:99999");
        assertEquals(2, zk.code(), zk.err());
        assertTrue(zk.err().startsWith("waitkit: invalid connect string \"localhost:99999\""), zk.err());
        assertEquals(1, zk.err().lines().count(), zk.err());
    }

    @Test
    void aChangedJarGetsANewCacheAndTheOldOneGoes(@TempDir Path copy, @TempDir Path elsewhere, @TempDir Path aot)
            throws Exception {
        Path home = copyTree(install, copy.resolve("home"));
        assertEquals(0, waitkit(home, elsewhere, aot, "--version").code());
        Path before = onlyCache(aot);
        // the same classes plus one entry: other contents, so another key
        Path jar = home.resolve("lib/waitkit-cli.jar");
        jar(MODULE.resolve("target/classes"), jar, "launcher-test-marker.txt");
        Run r = waitkit(home, elsewhere, aot, "--version");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Path after = onlyCache(aot);
        assertNotEquals(before, after);
        assertFalse(Files.exists(before), "the stale cache is still there");
    }

    @Test
    void aJarNewerThanTheCacheRemakesIt(@TempDir Path copy, @TempDir Path elsewhere, @TempDir Path aot) throws Exception {
        Path home = copyTree(install, copy.resolve("home"));
        assertEquals(0, waitkit(home, elsewhere, aot, "--version").code());
        Path cache = onlyCache(aot);
        // a jar written again after the cache, with the same contents (so the same key): the JVM would
        // reject the cache, as it records the jars' times, so the launcher makes it again
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(cache, old);
        Files.setLastModifiedTime(home.resolve("lib/waitkit-cli.jar"), FileTime.from(Instant.now().minusSeconds(60)));
        Run r = waitkit(home, elsewhere, aot, "--version");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(cache, onlyCache(aot), "the contents did not change, so the key did not");
        assertTrue(Files.getLastModifiedTime(cache).compareTo(old) > 0, "the cache older than a jar was kept");
    }

    @Test
    void aCorruptCacheStillRunsTheCommandCorrectlyAndQuietly(@TempDir Path elsewhere, @TempDir Path aot)
            throws Exception {
        Run good = waitkit(install, elsewhere, aot, "--version");
        assertEquals(0, good.code(), good.err());
        Path cache = onlyCache(aot);
        for (byte[] junk : List.of("not an AOT cache".getBytes(StandardCharsets.US_ASCII), truncated(cache))) {
            Files.write(cache, junk);
            Run r = waitkit(install, elsewhere, aot, "--version");
            assertEquals(0, r.code(), r.err());
            assertEquals(good.out(), r.out());
            assertEquals("", r.err(), "a rejected cache must be skipped quietly");
            Run help = waitkit(install, elsewhere, aot, "--help");
            assertEquals(0, help.code(), help.err());
            assertTrue(help.out().contains("Usage: waitkit"), help.out());
        }
    }

    @Test
    void withoutTheCacheTheCommandRunsTheSame(@TempDir Path elsewhere, @TempDir Path aot) throws Exception {
        Run with = waitkit(install, elsewhere, aot, "--help");
        Run without = run(elsewhere, Map.of("JAVA_HOME", System.getProperty("java.home"), "WAITKIT_AOT", "off",
                "WAITKIT_AOT_DIR", aot.resolve("unused").toString()), install.resolve("bin/waitkit").toString(), "--help");
        assertEquals(0, without.code(), without.err());
        assertEquals(with.out(), without.out());
        assertFalse(Files.exists(aot.resolve("unused")));
    }

    @Test
    void withoutJavaHomeTheJdkFoundIsRememberedAndAGoneOneIsLookedForAgain(@TempDir Path elsewhere, @TempDir Path aot)
            throws Exception {
        Run probe = run(elsewhere, Map.of(), "env", "-u", "JAVA_HOME", "sh", install.resolve("bin/find-jdk").toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.code() == 0,
                "no JDK 25 in the standard folders (only $JAVA_HOME): " + probe.err());
        String found = probe.out().trim();
        Run first = runWithoutJavaHome(elsewhere, aot, "--version");
        assertEquals(0, first.code(), first.err());
        Path remembered = aot.resolve("jdk");
        assertEquals(found, Files.readString(remembered).trim());
        // a remembered JDK that is gone: find-jdk again, and remember its answer
        Files.writeString(remembered, elsewhere.resolve("no-such-jdk") + "\n");
        Run again = runWithoutJavaHome(elsewhere, aot, "--version");
        assertEquals(0, again.code(), again.err());
        assertEquals(first.out(), again.out());
        assertEquals(found, Files.readString(remembered).trim());
    }

    private static Run runWithoutJavaHome(Path cwd, Path aot, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("env");
        cmd.add("-u");
        cmd.add("JAVA_HOME");
        cmd.add("WAITKIT_AOT_DIR=" + aot);
        cmd.add(install.resolve("bin/waitkit").toString());
        cmd.addAll(List.of(args));
        return run(cwd, Map.of(), cmd.toArray(String[]::new));
    }

    private static byte[] truncated(Path cache) throws IOException {
        byte[] all = Files.readAllBytes(cache);
        return java.util.Arrays.copyOf(all, Math.min(all.length, 64 * 1024));
    }

    /** The one cache file in the folder. */
    private static Path onlyCache(Path aot) throws IOException {
        try (Stream<Path> s = Files.list(aot)) {
            List<Path> l = s.filter(p -> p.getFileName().toString().endsWith(".aot")).toList();
            assertEquals(1, l.size(), "cache files: " + l);
            return l.get(0);
        }
    }

    private static Run waitkit(Path home, Path cwd, Path aot, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/waitkit").toString());
        cmd.addAll(List.of(args));
        return run(cwd, Map.of("JAVA_HOME", System.getProperty("java.home"), "WAITKIT_AOT_DIR", aot.toString()),
                cmd.toArray(String[]::new));
    }

    private static Run run(Path cwd, Map<String, String> env, String... cmd) throws Exception {
        Path out = Files.createTempFile("launcher-test-", ".out");
        Path err = Files.createTempFile("launcher-test-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("hung: " + String.join(" ", cmd));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Writes a jar of a class folder (or copies a jar), with an extra text entry if named. */
    private static void jar(Path from, Path to, String extra) throws IOException {
        if (Files.isRegularFile(from)) {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream o = Files.newOutputStream(to); JarOutputStream j = new JarOutputStream(o)) {
            for (Path f : files) {
                j.putNextEntry(new JarEntry(from.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
            if (extra != null) {
                j.putNextEntry(new JarEntry(extra));
                j.write(extra.getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted().toList()) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static void delete(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

}
