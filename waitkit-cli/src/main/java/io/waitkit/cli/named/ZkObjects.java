package io.waitkit.cli.named;

/*
 * The object commands with --zk: the same commands on the objects of io.waitkit.zk.
 *
 * What holds: every Curator, ZooKeeper and io.waitkit.zk type is named here only (and in the
 * demo's package), never in the signatures, fields or locals of the command classes, which call
 * these static methods from a lambda given to ObjectOptions.zkRun when --zk is given. A JVM
 * resolves the classes a method names when the method first runs, and links this class (whose
 * verification loads io.waitkit.zk classes) when it is first called, so a command line without
 * --zk (the short path of ShortCommands included) loads none of them (CliShortCommandsTest
 * checks it from the class-loading log), and a class path without the ZooKeeper jars fails
 * inside zkRun, which says so on one line.
 *
 * Each command connects one namespace (ZkNamespace.connect with its own Curator client, the
 * root path of --zk-root or /waitkit under the connect string's chroot), runs, and closes it,
 * which ends its session: what the session held (a mutex, semaphore leases, a barrier arrival)
 * is given back, so a command that must leave something taken says so (sem wait detaches its
 * permit from the session, as a permit of a named semaphore of one host outlives its taker).
 *
 * Exit codes and messages are those of the local commands: 4 when the name holds nothing, 5
 * when it holds another kind, 1 for a timeout and for an ensemble that does not answer (the
 * first connection is waited for CONNECT_WAIT; a later loss ends by Curator's retries, about a
 * minute at most, or by --timeout).
 */

import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Waitable;
import io.waitkit.zk.ZkBarrier;
import io.waitkit.zk.ZkCounter;
import io.waitkit.zk.ZkEvent;
import io.waitkit.zk.ZkMessageQueue;
import io.waitkit.zk.ZkMutex;
import io.waitkit.zk.ZkNamespace;
import io.waitkit.zk.ZkObjectInfo;
import io.waitkit.zk.ZkSemaphore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The object commands on ZooKeeper ({@code --zk CONNECT}): events, semaphores, mutexes,
 * counters, barriers and message queues of {@code io.waitkit.zk}, with the output, exit codes and error lines
 * of the commands on this host's named objects. Every method connects, runs one command and
 * closes its session; blocking as the command's description says.
 */
final class ZkObjects {
    /** How long a command waits for the first connection to the ensemble. */
    static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

    private ZkObjects() {
    }

    /** A command body on a connected namespace. */
    @FunctionalInterface
    interface Body {
        /**
         * Runs the command.
         *
         * @param ns the namespace
         * @param where the ensemble and root, for messages ({@code ZooKeeper zk1:2181/waitkit})
         * @return the exit code
         * @throws Exception any failure, mapped as the local commands' are
         */
        int call(ZkNamespace ns, String where) throws Exception;
    }

    /**
     * Connects, runs a body and closes the namespace; failures become an exit code and one
     * line on the error stream.
     *
     * @param o the options ({@code --zk} set)
     * @param body the command
     * @return the exit code
     */
    static int run(ObjectOptions o, Body body) {
        try {
            return o.run(() -> {
                String cs = o.zk();
                String root = o.zkRoot() == null ? ZkNamespace.DEFAULT_ROOT : o.zkRoot();
                ZkNamespace ns;
                try {
                    ns = ZkNamespace.connect(cs, root, CONNECT_WAIT);
                } catch (IOException e) {
                    o.debugTrace(e);
                    throw new Failure(ExitCodes.TIMEOUT, e.getMessage() + " (the wait for a first connection;"
                            + " is the ensemble up, and is the connect string host:port[,host:port...]?)");
                } catch (IllegalStateException e) {
                    o.debugTrace(e);
                    throw new Failure(ExitCodes.TIMEOUT, e.getMessage());
                }
                String where = "ZooKeeper " + cs + (root.equals("/") ? "" : root);
                try {
                    return body.call(ns, where);
                } catch (IllegalStateException e) {
                    o.debugTrace(e);
                    throw new Failure(ExitCodes.TIMEOUT, e.getMessage());
                } catch (NoSuchElementException e) {
                    o.debugTrace(e);
                    throw new Failure(ExitCodes.NO_SUCH_OBJECT, e.getMessage() + " (" + where + ")");
                } finally {
                    ns.close();
                }
            });
        } catch (LinkageError e) {
            o.warn("--zk: the ZooKeeper client is not on the class path (" + e + "); run the waitkit launcher, which"
                    + " adds lib/zk/*.jar for --zk");
            o.debugTrace(e);
            return ExitCodes.TIMEOUT;
        }
    }

    /**
     * Opens an existing object of one kind, with the local commands' codes when it is absent
     * (4) or of another kind (5).
     */
    private static <T> T open(ZkNamespace ns, String where, String name, Class<T> type, String kind) throws Failure {
        Optional<ZkObjectInfo> info = ns.info(name);
        if (info.isEmpty()) {
            throw new Failure(ExitCodes.NO_SUCH_OBJECT, "no " + kind + " '" + name + "' in " + where);
        }
        checkKind(info.get(), kind, where);
        try {
            return ns.openExisting(name, type);
        } catch (NoSuchElementException e) {
            throw new Failure(ExitCodes.NO_SUCH_OBJECT, "no " + kind + " '" + name + "' in " + where + " (removed meanwhile)");
        }
    }

    private static void checkKind(ZkObjectInfo info, String kind, String where) throws Failure {
        if (!info.kind().equals(kind)) {
            throw new Failure(ExitCodes.WRONG_KIND, "'" + info.name() + "' in " + where + " is " + article(info.kind())
                    + ", not " + article(kind));
        }
    }

    private static String article(String kind) {
        return (kind.startsWith("e") || kind.startsWith("u") ? "an " : "a ") + kind;
    }

    /** Whether the name holds an object (checking its kind), for the commands that create. */
    private static boolean exists(ZkNamespace ns, String where, String name, String kind) throws Failure {
        Optional<ZkObjectInfo> info = ns.info(name);
        if (info.isPresent()) {
            checkKind(info.get(), kind, where);
        }
        return info.isPresent();
    }

    // ---- events

    static int eventCreate(ObjectOptions o, boolean manual, boolean signaled, String name) {
        return run(o, (ns, where) -> {
            boolean existed = exists(ns, where, name, "event");
            ZkEvent e = existed ? ns.openExisting(name, ZkEvent.class) : ns.event(name, manual, signaled);
            return EventCommand.created(o, name, !existed, e.isManualReset(), e.isSignaled());
        });
    }

    /** What {@code event set|reset|pulse} does. */
    enum EventChange {
        /** {@code set}. */
        SET,
        /** {@code reset}. */
        RESET,
        /** {@code pulse}. */
        PULSE
    }

    static int eventChange(ObjectOptions o, String name, EventChange change) {
        return run(o, (ns, where) -> {
            ZkEvent e = open(ns, where, name, ZkEvent.class, "event");
            switch (change) {
                case SET -> e.set();
                case RESET -> e.reset();
                case PULSE -> e.pulse();
            }
            return EventCommand.changed(o, name, e.isSignaled());
        });
    }

    static int eventWait(ObjectOptions o, String name) {
        return run(o, (ns, where) -> {
            ZkEvent e = open(ns, where, name, ZkEvent.class, "event");
            return EventCommand.waited(o, name, o.await(() -> {
                e.await();
                return true;
            }, e::await));
        });
    }

    // ---- semaphores

    static int semCreate(ObjectOptions o, int initial, int max, String name) {
        return run(o, (ns, where) -> {
            boolean existed = exists(ns, where, name, "semaphore");
            ZkSemaphore s = existed ? ns.openExisting(name, ZkSemaphore.class) : ns.semaphore(name, initial, max);
            return SemCommand.created(o, name, !existed, s.availablePermits(), s.maxPermits(), null);
        });
    }

    static int semPost(ObjectOptions o, int count, String name) {
        return run(o, (ns, where) -> {
            ZkSemaphore s = open(ns, where, name, ZkSemaphore.class, "semaphore");
            return SemCommand.posted(o, name, count, s::release, s::maxPermits, s::availablePermits);
        });
    }

    /**
     * {@code sem wait}: takes a permit and detaches it from this command's session, so that it
     * stays taken when the command ends, as a local one does.
     */
    static int semWait(ObjectOptions o, String name) {
        return run(o, (ns, where) -> {
            ZkSemaphore s = open(ns, where, name, ZkSemaphore.class, "semaphore");
            boolean ok = o.await(() -> {
                s.acquire();
                return true;
            }, s::tryAcquire);
            if (ok) {
                s.detachPermit();
            }
            return SemCommand.acquired(o, name, ok);
        });
    }

    static int semGet(ObjectOptions o, String name) {
        return run(o, (ns, where) -> {
            ZkSemaphore s = open(ns, where, name, ZkSemaphore.class, "semaphore");
            return SemCommand.count(o, name, s.availablePermits(), s.maxPermits());
        });
    }

    // ---- mutexes

    /**
     * {@code mutex run}: holds the mutex while the command runs. Its session is this process's:
     * if it ends meanwhile (the ensemble lost for longer than the session timeout), the mutex
     * is no longer ours and the next holder is told it was abandoned; the command's status is
     * still returned, after a line saying so.
     */
    static int mutexRun(ObjectOptions o, String name, List<String> command) {
        return run(o, (ns, where) -> {
            exists(ns, where, name, "mutex");
            ZkMutex m = ns.mutex(name);
            return MutexCommand.runHolding(o, name, command, () -> {
                m.lockInterruptibly();
                return true;
            }, m::tryLock, "its session ended while it held it", () -> {
                if (m.isHeldByCurrentThread()) {
                    m.unlock();
                } else {
                    o.warn("mutex '" + name + "' was lost with this command's ZooKeeper session while " + command.get(0)
                            + " ran: another process may have taken it meanwhile");
                }
            });
        });
    }

    // ---- counters

    static int counterCreate(ObjectOptions o, long initial, String name) {
        return run(o, (ns, where) -> {
            boolean existed = exists(ns, where, name, "counter");
            ZkCounter c = ns.counter(name, initial);
            if (o.json) {
                o.out().println(new Json().put("name", name).put("kind", "counter").put("created", !existed).put("value", c.get()));
            }
            return ExitCodes.OK;
        });
    }

    static int counterGet(ObjectOptions o, String name) {
        return run(o, (ns, where) -> {
            long v = open(ns, where, name, ZkCounter.class, "counter").get();
            o.out().println(o.json ? new Json().put("name", name).put("value", v).toString() : Long.toString(v));
            return ExitCodes.OK;
        });
    }

    static int counterAdd(ObjectOptions o, long delta, String name) {
        return run(o, (ns, where) -> {
            long v = open(ns, where, name, ZkCounter.class, "counter").add(delta);
            o.out().println(o.json ? new Json().put("name", name).put("value", v).toString() : Long.toString(v));
            return ExitCodes.OK;
        });
    }

    static int counterSet(ObjectOptions o, long value, String name) {
        return run(o, (ns, where) -> {
            long before = open(ns, where, name, ZkCounter.class, "counter").set(value);
            if (o.json) {
                o.out().println(new Json().put("name", name).put("before", before).put("value", value));
            }
            return ExitCodes.OK;
        });
    }

    /** What {@code counter wait} waits for. */
    enum Bound {
        /** {@code --at-least N}. */
        AT_LEAST,
        /** {@code --at-most N}. */
        AT_MOST,
        /** {@code --equal N}. */
        EQUAL
    }

    static int counterWait(ObjectOptions o, Bound bound, long n, String name) {
        return run(o, (ns, where) -> {
            ZkCounter c = open(ns, where, name, ZkCounter.class, "counter");
            ChangeMatch match = switch (bound) {
                case AT_LEAST -> ChangeMatch.atLeast(n);
                case AT_MOST -> ChangeMatch.atMost(n);
                case EQUAL -> ChangeMatch.equalTo(n);
            };
            Change ch = o.await(() -> c.await(match), t -> c.await(match, t));
            if (o.json) {
                Json j = new Json().put("name", name);
                if (ch == null) {
                    j.raw("value", "null");
                } else {
                    j.put("value", ch.newValue());
                }
                o.out().println(j.put("timedOut", ch == null));
            }
            return ch != null ? ExitCodes.OK : ExitCodes.TIMEOUT;
        });
    }

    // ---- barriers

    static int barrierCreate(ObjectOptions o, int parties, String name) {
        return run(o, (ns, where) -> {
            boolean existed = exists(ns, where, name, "barrier");
            ZkBarrier b = existed ? ns.openExisting(name, ZkBarrier.class) : ns.barrier(name, parties);
            if (o.json) {
                o.out().println(new Json().put("name", name).put("kind", "barrier").put("created", !existed)
                        .put("parties", b.parties()));
            }
            return ExitCodes.OK;
        });
    }

    static int barrierWait(ObjectOptions o, String name) {
        return run(o, (ns, where) -> {
            ZkBarrier b = open(ns, where, name, ZkBarrier.class, "barrier");
            boolean ok = o.await(() -> {
                b.await();
                return true;
            }, b::await);
            if (o.json) {
                o.out().println(new Json().put("name", name).put("tripped", ok).put("timedOut", !ok));
            }
            return ok ? ExitCodes.OK : ExitCodes.TIMEOUT;
        });
    }

    // ---- message queues

    static int mqCreate(ObjectOptions o, int capacity, int maxSize, String name) {
        return run(o, (ns, where) -> {
            boolean existed = exists(ns, where, name, "message-queue");
            ZkMessageQueue q = existed ? ns.openExisting(name, ZkMessageQueue.class) : ns.messageQueue(name, capacity, maxSize);
            return MqCommand.created(o, name, !existed, q.capacity(), q.maxMessageSize());
        });
    }

    /** {@code mq send}: {@code message} is the argument's bytes, or null to read standard input. */
    static int mqSend(ObjectOptions o, int priority, String name, String message) {
        return run(o, (ns, where) -> {
            ZkMessageQueue q = open(ns, where, name, ZkMessageQueue.class, "message-queue");
            return MqCommand.send(o, name, priority, message, q::send, q::send);
        });
    }

    /**
     * {@code mq recv}: a message this command received is deleted from the queue before it is
     * printed; one whose wait timed out or was interrupted goes back to its place.
     */
    static int mqRecv(ObjectOptions o, boolean noNewline, String name) {
        return run(o, (ns, where) -> {
            ZkMessageQueue q = open(ns, where, name, ZkMessageQueue.class, "message-queue");
            return MqCommand.received(o, name, o.await(q::receive, q::receive), noNewline);
        });
    }

    // ---- ls, info, rm, wait

    /**
     * One object as {@code ls} and {@code info} show it, with the details of its kind: the owner
     * is the holder's session (null if none), the waiters those {@link ZkNamespace#waiters}
     * counts (null for a kind whose waits leave no node in ZooKeeper).
     */
    private record Row(String name, String kind, String state, String owner, Integer waiters, Map<String, Object> details) {
    }

    private static Row row(ZkNamespace ns, ZkObjectInfo i) {
        Map<String, Object> d = new LinkedHashMap<>();
        String state;
        String owner = null;
        Integer waiters = null;
        try {
            switch (i.kind()) {
                case "event" -> {
                    ZkEvent e = ns.openExisting(i.name(), ZkEvent.class);
                    state = e.isSignaled() ? "signaled" : "not signaled";
                    d.put("manualReset", e.isManualReset());
                    d.put("signaled", e.isSignaled());
                }
                case "mutex" -> {
                    ZkMutex m = ns.openExisting(i.name(), ZkMutex.class);
                    owner = m.ownerSession();
                    boolean abandoned = m.isAbandoned();
                    state = abandoned ? "abandoned" : owner == null ? "free" : "held";
                    d.put("abandoned", abandoned);
                }
                case "semaphore" -> {
                    ZkSemaphore s = ns.openExisting(i.name(), ZkSemaphore.class);
                    int a = s.availablePermits();
                    state = a + "/" + s.maxPermits();
                    d.put("available", (long) a);
                    d.put("max", (long) s.maxPermits());
                }
                case "counter" -> {
                    long v = ns.openExisting(i.name(), ZkCounter.class).get();
                    state = Long.toString(v);
                    d.put("value", v);
                }
                case "barrier" -> {
                    ZkBarrier b = ns.openExisting(i.name(), ZkBarrier.class);
                    state = b.waiting() + "/" + b.parties() + " waiting";
                    d.put("parties", (long) b.parties());
                    d.put("waiting", (long) b.waiting());
                }
                case "message-queue" -> {
                    ZkMessageQueue q = ns.openExisting(i.name(), ZkMessageQueue.class);
                    int size = q.size();
                    state = size + "/" + q.capacity() + " messages";
                    d.put("size", (long) size);
                    d.put("capacity", (long) q.capacity());
                    d.put("maxMessageSize", (long) q.maxMessageSize());
                }
                default -> state = "-";
            }
            if (!state.equals("-")) {
                OptionalInt n = ns.waiters(i.name());
                waiters = n.isPresent() ? n.getAsInt() : null;
            }
        } catch (NoSuchElementException gone) {
            state = "removed";
        }
        return new Row(i.name(), i.kind(), state, owner, waiters, d);
    }

    private static Json json(Row r) {
        Json j = new Json().put("name", r.name()).put("kind", r.kind()).put("state", r.state()).raw("ownerPid", "null");
        if (r.owner() != null) {
            j.put("ownerSession", r.owner());
        } else {
            j.raw("ownerSession", "null");
        }
        if (r.waiters() != null) {
            j.put("waiters", r.waiters());
        } else {
            j.raw("waiters", "null");
        }
        return j.raw("openers", "null"); // opening an object on ZooKeeper records nothing
    }

    private static List<Row> rows(ZkNamespace ns) {
        List<Row> rows = new ArrayList<>();
        for (ZkObjectInfo i : ns.list()) {
            rows.add(row(ns, i));
        }
        return rows;
    }

    /**
     * The lines of the table of {@code ls}, with the local command's columns: the owner is the
     * holder's ZooKeeper session, the waiters {@code -} where ZooKeeper records none
     * (semaphores, counters), the openers {@code -}: opening an object there records nothing.
     */
    private static List<LsCommand.Line> lines(List<Row> rows) {
        List<LsCommand.Line> lines = new ArrayList<>();
        for (Row r : rows) {
            lines.add(new LsCommand.Line(r.name(), r.kind(), r.state(), owner(r), r.waiters() == null ? "-"
                    : Integer.toString(r.waiters()), "-"));
        }
        return lines;
    }

    private static String owner(Row r) {
        return r.owner() == null ? "-" : "0x" + r.owner();
    }

    static int ls(ObjectOptions o) {
        return run(o, (ns, where) -> {
            List<Row> rows = rows(ns);
            PrintWriter out = o.out();
            if (o.json) {
                for (Row r : rows) {
                    out.println(json(r));
                }
            } else {
                LsCommand.print(out, lines(rows));
            }
            return ExitCodes.OK;
        });
    }

    /**
     * {@code watch}: the table of {@code ls}, refreshed every {@code interval} on one session,
     * until {@code count} refreshes (0: no limit), the {@code --timeout} or an interrupt.
     */
    static int watch(ObjectOptions o, Duration interval, int count, boolean inPlace) {
        return run(o, (ns, where) -> WatchCommand.watch(o, interval, count, inPlace, where, "(no objects)", () -> {
            List<Row> rows = rows(ns);
            List<Json> json = new ArrayList<>();
            for (Row r : rows) {
                json.add(json(r));
            }
            return new WatchCommand.Screen(json, lines(rows));
        }));
    }

    static int info(ObjectOptions o, String name) {
        return run(o, (ns, where) -> {
            Optional<ZkObjectInfo> i = ns.info(name);
            if (i.isEmpty()) {
                throw new Failure(ExitCodes.NO_SUCH_OBJECT, "no named object '" + name + "' in " + where);
            }
            Row r = row(ns, i.get());
            Map<String, Object> details = new LinkedHashMap<>(r.details());
            details.put("znode", ns.rootPath() + (ns.rootPath().endsWith("/") ? "" : "/") + name);
            details.put("backend", where);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", r.name());
            fields.put("kind", r.kind());
            fields.put("state", r.state());
            fields.put("owner session", owner(r));
            fields.put("waiters", r.waiters() == null ? "-" : r.waiters());
            fields.put("openers", "-");
            return InfoCommand.print(o, json(r), fields, details);
        });
    }

    /**
     * {@code rm}: unlinks each name; a mutex held now is refused unless {@code force} (on
     * ZooKeeper a holder's session is what shows it in use; the other objects' users are not
     * known). Every name is tried; the exit code is the first failure's.
     */
    static int rm(ObjectOptions o, List<String> names, boolean force) {
        int[] result = {ExitCodes.OK};
        int code = run(o, (ns, where) -> {
            for (String name : names) {
                int c = o.run(() -> {
                    Optional<ZkObjectInfo> i = ns.info(name);
                    if (i.isEmpty()) {
                        throw new Failure(ExitCodes.NO_SUCH_OBJECT, "no named object '" + name + "' in " + where);
                    }
                    if (i.get().kind().equals("mutex")) {
                        String owner = ns.openExisting(name, ZkMutex.class).ownerSession();
                        if (owner != null && !force) {
                            throw new Failure(ExitCodes.TIMEOUT, "refusing to remove '" + name + "': in use (held by ZooKeeper"
                                    + " session 0x" + owner + "); --force removes it anyway");
                        }
                        if (owner != null) {
                            o.warn("removed '" + name + "' while in use (held by ZooKeeper session 0x" + owner + ")");
                        }
                    }
                    if (!ns.unlink(name)) {
                        throw new Failure(ExitCodes.NO_SUCH_OBJECT, "no named object '" + name + "' in " + where);
                    }
                    if (o.json) {
                        o.out().println(new Json().put("name", name).put("removed", true));
                    }
                    return ExitCodes.OK;
                });
                if (result[0] == ExitCodes.OK) {
                    result[0] = c;
                }
            }
            return result[0];
        });
        return code;
    }

    /**
     * {@code wait --any|--all} over events, mutexes, semaphores and message queues on
     * ZooKeeper: as the local command, a semaphore's permit stays taken (detached from the
     * session), a queue's message is received and printed, and a mutex is released before the
     * command ends.
     */
    static int await(ObjectOptions o, boolean any, List<String> names) {
        return run(o, (ns, where) -> {
            Waitable[] members = new Waitable[names.size()];
            String[] kinds = new String[members.length];
            for (int i = 0; i < members.length; i++) {
                String name = names.get(i);
                Optional<ZkObjectInfo> info = ns.info(name);
                if (info.isEmpty()) {
                    throw new Failure(ExitCodes.NO_SUCH_OBJECT, "no named object '" + name + "' in " + where);
                }
                kinds[i] = info.get().kind();
                members[i] = switch (kinds[i]) {
                    case "event" -> ns.openExisting(name, ZkEvent.class);
                    case "mutex" -> ns.openExisting(name, ZkMutex.class);
                    case "semaphore" -> ns.openExisting(name, ZkSemaphore.class);
                    case "message-queue" -> ns.openExisting(name, ZkMessageQueue.class).receiveOp();
                    default -> throw new Failure(ExitCodes.WRONG_KIND, "named object '" + name + "' is " + article(kinds[i])
                            + ": wait takes events, mutexes, semaphores and message queues");
                };
            }
            return WaitCommand.await(o, any, names, i -> kinds[i], members,
                    m -> m instanceof ZkMessageQueue.Receive r ? r.item() : null, ZkObjects::keep,
                    "its session ended while it held it");
        });
    }

    /** After a wait: a permit stays taken, a mutex is released. */
    private static void keep(Waitable w) {
        if (w instanceof ZkSemaphore s) {
            s.detachPermit();
        } else if (w instanceof ZkMutex m && m.isHeldByCurrentThread()) {
            m.unlock();
        }
    }
}
