package io.waitkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Waitkit works from a separate Maven project, as the README tells its users: a project with a
 * dependency on {@code io.waitkit:waitkit-core} and a module-info that requires
 * {@code io.waitkit.core} builds against the installed artifacts (compiled for Java 21, the
 * core's minimum), resolves the core from the repository it was installed into, and runs on
 * the module path.
 *
 * <p>The build (waitkit-it/pom.xml) installed the core's jar, its POM and the parent POM into a
 * private local repository under target/ before this test; the nested Maven run uses that
 * repository, with the user's local repository as a read-only tail for Maven's own plugins
 * ({@code maven.repo.local.tail}), offline: it writes nothing into the user's repository and
 * needs no network.
 */
class SeparateProjectTest {
    private static final long BOUND_SECONDS = 600;

    private static String property(String name) {
        String v = System.getProperty(name);
        assertTrue(v != null && !v.isBlank(), () -> "system property " + name + " is not set (run through Maven)");
        return v;
    }

    @Test
    void consumerProjectBuildsAgainstInstalledCoreAndRunsAsModule() throws Exception {
        String version = property("waitkit.it.version");
        Path repo = Path.of(property("waitkit.it.repo")).toAbsolutePath().normalize();
        Path installed = repo.resolve(Path.of("io", "waitkit", "waitkit-core", version,
                "waitkit-core-" + version + ".jar"));
        assertTrue(Files.isRegularFile(installed), () -> installed + " was not installed by the build");

        Path work = Path.of(property("waitkit.it.work"));
        Path project = work.resolve("consumer");
        deleteTree(project);
        copyTree(Path.of(property("waitkit.it.consumer")), project);
        // its own .mvn: Maven takes the project, not the Waitkit checkout around it, as the root
        Files.createDirectories(project.resolve(".mvn"));

        String mvn = Path.of(property("waitkit.it.mavenHome"), "bin", "mvn").toString();
        run(project, work.resolve("build.log"), mvn, "-B", "-o", "-q", "--no-transfer-progress",
                "-Dmaven.repo.local=" + repo,
                "-Dmaven.repo.local.tail=" + property("waitkit.it.tailRepo"),
                "-Dwaitkit.version=" + version,
                "package");

        // the core on the consumer's path is the installed one, not a copy in another repository
        String modulePath = Files.readString(project.resolve("target/module-path.txt"), StandardCharsets.UTF_8).strip();
        assertEquals(installed.toString(), modulePath, "the consumer's resolved dependencies");

        Path jar = project.resolve("target/waitkit-consumer-1.0.jar");
        String out = run(project, work.resolve("run.log"), java(), "-p", jar + File.pathSeparator + modulePath,
                "-m", "example.consumer/example.consumer.Main");
        assertEquals("count=4000 module=example.consumer waitkit=io.waitkit.core", out.strip());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a command in {@code dir} with this JVM's JDK as JAVA_HOME; fails with its output unless it exits 0. */
    private static String run(Path dir, Path log, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_ARGS");
        pb.environment().remove("MAVEN_OPTS");
        Process p = pb.start();
        boolean done = p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, () -> String.join(" ", command) + " did not finish within " + BOUND_SECONDS + " s:\n" + out);
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> paths;
        try (Stream<Path> s = Files.walk(from)) {
            paths = s.toList();
        }
        for (Path p : paths) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
            } else if (!from.relativize(p).startsWith("target")) {
                Files.copy(p, target);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) {
            Files.delete(p);
        }
    }
}
