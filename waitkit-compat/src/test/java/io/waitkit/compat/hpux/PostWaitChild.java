package io.waitkit.compat.hpux;

import io.waitkit.ipc.Namespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The child JVM of {@link PostWaitCrossProcessTest}: uses the HP-UX facade attached to the
 * namespace in DIR. Prints one line per step (flushed); ends itself when its stdin closes (the
 * parent is gone) and after 10 minutes at the latest.
 * <ul>
 * <li>{@code wait DIR SECONDS}: prints {@code UKID n} (from {@code pw_getukid}), then
 *     {@code pw_wait({SECONDS, 0})} and prints {@code WAIT result errno}.</li>
 * <li>{@code hold DIR}: prints {@code UKID n} and waits until killed.</li>
 * <li>{@code postv DIR UKID...}: prints {@code POSTV result e1,e2,...} of {@code pw_postv}.</li>
 * </ul>
 */
public final class PostWaitChild {
    private PostWaitChild() {
    }

    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // ignore commands: stdin only tells whether the parent lives
                }
            } catch (Exception ignored) {
                // as end-of-file
            }
            Runtime.getRuntime().halt(97);
        });
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException ignored) {
                // halt anyway
            }
            Runtime.getRuntime().halt(98);
        });
        PostWait.attach(Namespace.open(Path.of(args[1])));
        switch (args[0]) {
            case "wait" -> {
                long[] k = new long[1];
                PostWait.pw_getukid(k);
                say("UKID " + k[0]);
                int r = PostWait.pw_wait(new Timespec(Long.parseLong(args[2]), 0));
                say("WAIT " + r + " " + (r == 0 ? 0 : PostWait.errno()));
            }
            case "hold" -> {
                say("UKID " + PostWait.getukid());
                new java.util.concurrent.CountDownLatch(1).await();
            }
            case "postv" -> {
                long[] targets = Arrays.stream(args, 2, args.length).mapToLong(Long::parseLong).toArray();
                int[] errors = new int[targets.length];
                int r = PostWait.pw_postv(targets, errors);
                say("POSTV " + r + " " + Arrays.stream(errors).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        PostWait.detach();
        System.out.flush();
        System.exit(0);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
