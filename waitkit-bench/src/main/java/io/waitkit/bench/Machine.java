package io.waitkit.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine a result row was measured on: every row carries it, so rows from different
 * machines (the 2-core development box, a 16-core box for B9) can be merged and told apart.
 *
 * @param cores available processors as the JVM sees them
 * @param cpu the CPU model (from /proc/cpuinfo where there is one)
 * @param jdk the JVM vendor and runtime version
 * @param os the operating system, version and architecture
 */
record Machine(int cores, String cpu, String jdk, String os) {
    /** Describes the machine this JVM runs on. */
    static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.vm.name", "")
                        + " " + System.getProperty("java.runtime.version", "?"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
    }

    private static String cpuModel() {
        try {
            Path p = Path.of("/proc/cpuinfo");
            if (Files.isReadable(p)) {
                for (String line : Files.readAllLines(p)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the architecture
        }
        String id = System.getenv("PROCESSOR_IDENTIFIER");
        return id != null ? id : System.getProperty("os.arch");
    }

    /** A short name for file names: {@code 16c-hostname}. */
    static String fileTag() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9-]", "");
        } catch (IOException | RuntimeException e) {
            host = "host";
        }
        return Runtime.getRuntime().availableProcessors() + "c-" + (host.isEmpty() ? "host" : host);
    }

    /** A one-line label for tables: {@code 2 cores, AMD EPYC}. */
    String label() {
        return cores + (cores == 1 ? " core, " : " cores, ") + cpu;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", cores);
        m.put("cpu", cpu);
        m.put("jdk", jdk);
        m.put("os", os);
        return m;
    }

    static Machine fromJson(Object o) {
        Map<?, ?> m = (Map<?, ?>) o;
        return new Machine((int) Stats.num(m, "cores"), (String) m.get("cpu"), (String) m.get("jdk"), (String) m.get("os"));
    }
}
