package io.waitkit.compat.axis;

import io.waitkit.ipc.Namespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The other process of the cross-process tests ({@link AxisChildJvm} starts it): runs one
 * command with the facades and prints what it saw, one line each, so the test can check it.
 * Commands that wait for the test read stdin; every command ends when stdin reaches EOF (the
 * test JVM closed it or died), so no child outlives its test.
 *
 * <ul>
 *   <li>{@code pipe-read DIR NAME}: connectNamed, reads to EOF: {@code DATA text} per read,
 *       then {@code EOF}.</li>
 *   <li>{@code pipe-write DIR NAME TEXT}: connectNamed, writes TEXT, closeWrite:
 *       {@code WROTE n}.</li>
 *   <li>{@code shm-increment DIR NAME}: openSection, mapSection, counter = counter + 1:
 *       {@code COUNTER n}.</li>
 *   <li>{@code shm-add DIR NAME N}: openSection, mapSection, prints {@code READY}, waits for
 *       {@code go} on stdin, then {@code addLong("counter", 1)} N times: {@code ADDED N}.</li>
 *   <li>{@code mq-receive DIR NAME}: openMqueue, mqReceive(h, 5000): {@code MSG prio text}
 *       or {@code NONE error}.</li>
 *   <li>{@code signal-handle}: handles SIGUSR1 printing {@code Got signal: 30}, prints
 *       {@code READY}, then answers {@code ping} with {@code PONG} until EOF.</li>
 *   <li>{@code signal-none}: no handler; {@code READY}, then {@code ping}/{@code PONG}.</li>
 * </ul>
 */
public final class AxisChild {
    private AxisChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "pipe-read" -> {
                Pipe pipe = new Pipe(Namespace.open(Path.of(args[1])));
                Pipe.Connection p = pipe.connectNamed(args[2]);
                if (p == null) {
                    System.out.println("FAILED " + Pipe.lastError());
                    return;
                }
                System.out.println("CONNECTED");
                for (Pipe.ReadResult r = pipe.read(p.handle(), 1024); !r.eof(); r = pipe.read(p.handle(), 1024)) {
                    if (!r.ok()) {
                        System.out.println("FAILED " + Pipe.lastError());
                        return;
                    }
                    System.out.println("DATA " + r.text());
                }
                System.out.println("EOF");
            }
            case "pipe-write" -> {
                Pipe pipe = new Pipe(Namespace.open(Path.of(args[1])));
                Pipe.Connection p = pipe.connectNamed(args[2]);
                if (p == null) {
                    System.out.println("FAILED " + Pipe.lastError());
                    return;
                }
                int n = pipe.write(p.handle(), args[3]);
                pipe.closeWrite(p.handle());
                System.out.println("WROTE " + n);
            }
            case "shm-increment" -> {
                Ipc ipc = new Ipc(Namespace.open(Path.of(args[1])));
                // local hSec2 = ipc.openSection("my_shm"); local tView2 = ipc.mapSection(hSec2)
                String hSec2 = ipc.openSection(args[2]);
                if (hSec2 == null) {
                    System.out.println("FAILED " + Ipc.lastError());
                    return;
                }
                SectionTable tView2 = ipc.mapSection(hSec2);
                // tView2.counter = tView2.counter + 1
                tView2.putLong("counter", tView2.getLong("counter") + 1);
                System.out.println("COUNTER " + tView2.getLong("counter"));
            }
            case "shm-add" -> {
                Ipc ipc = new Ipc(Namespace.open(Path.of(args[1])));
                SectionTable t = ipc.mapSection(ipc.openSection(args[2]));
                int n = Integer.parseInt(args[3]);
                System.out.println("READY");
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                if (!"go".equals(in.readLine())) {
                    return;
                }
                for (int i = 0; i < n; i++) {
                    t.addLong("counter", 1);
                }
                System.out.println("ADDED " + n);
            }
            case "mq-receive" -> {
                Ipc ipc = new Ipc(Namespace.open(Path.of(args[1])));
                String hQ = ipc.openMqueue(args[2]);
                if (hQ == null) {
                    System.out.println("FAILED " + Ipc.lastError());
                    return;
                }
                Ipc.Message msg = ipc.mqReceive(hQ, 5000);
                System.out.println(msg == null ? "NONE " + Ipc.lastError() : "MSG " + msg.priority() + " " + msg.text());
            }
            case "signal-handle", "signal-none" -> {
                if (args[0].equals("signal-handle")) {
                    SignalLib.handle(SignalLib.SIGUSR1, sig -> System.out.println("Got signal: " + sig));
                }
                System.out.println("READY");
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("ping")) {
                        System.out.println("PONG");
                    }
                }
            }
            case "signal-try" -> { // signal-try N...: handle each AxisOS number, print the outcome
                for (int i = 1; i < args.length; i++) {
                    int sig = Integer.parseInt(args[i]);
                    java.util.function.IntConsumer previous = SignalLib.handle(sig, s -> System.out.println("Got signal: " + s));
                    String error = SignalLib.lastError();
                    System.out.println(error == null ? "SET " + sig + (previous == null ? "" : " replaced")
                            : "FAILED " + sig + " " + error);
                }
                System.out.println("READY");
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("ping")) {
                        System.out.println("PONG");
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }
}
