package io.waitkit.cli.named;

/*
 * The short commands on events and semaphores without picocli: a shell loop runs them by the
 * thousand, and building picocli's model of even one command (reading its annotations through
 * reflection and dynamic proxies, with picocli's own classes outside the JDK's AOT cache) costs
 * more than everything else such a run does.
 *
 * What holds: this class only decides whether a command line is one it can take, and parses it
 * into the values picocli would set; the commands themselves are the very methods picocli calls
 * (EventCommand.set, SemCommand.post, ...), with an ObjectOptions carrying those values, so the
 * object operations, the output, the error lines and the exit codes are the same code in both
 * paths. It takes a command line only when every argument is one of the plain forms below; for
 * anything else (help, an unknown or repeated option, a value picocli would convert differently
 * or refuse, any argument that starts with '@' (picocli reads arguments from that file), a name
 * that starts with '-', "--", a missing or second name) it says
 * NOT_HANDLED and the caller runs picocli, which then reports or does exactly what it always did.
 *
 * Accepted: "event create|set|reset|pulse|wait NAME" and "sem create|post|wait|get NAME", with
 * the options of the command in any order around NAME, each at most once: --namespace DIR,
 * --timeout D, --json, --debug (every command); --manual, --signaled (event create); --initial N,
 * --max M, --barging (sem create); --count N (sem post). A value follows as the next argument or after '=';
 * it must not be empty nor start with '-'. N and M are decimal digits without a leading zero, at
 * most 9 of them (so picocli's int conversion gives the same number); D is a duration that
 * --timeout accepts. Without --namespace, $WAITKIT_NAMESPACE applies as picocli's default does;
 * a variable that is set but empty is left to picocli.
 */

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the short commands on named events and semaphores ({@code event create|set|reset|pulse|wait},
 * {@code sem create|post|wait|get}) without building picocli's command model, with the same
 * results, output and exit codes as through picocli; any other command line is left to picocli.
 *
 * <p>Runs in the calling thread and blocks as long as the command does ({@code event wait} and
 * {@code sem wait} without {@code --timeout 0}).
 */
public final class ShortCommands {
    /** What {@link #run} returns for a command line it leaves to picocli. */
    public static final int NOT_HANDLED = -1;

    private static final int EVENT_CREATE = 0;
    private static final int EVENT_SET = 1;
    private static final int EVENT_RESET = 2;
    private static final int EVENT_PULSE = 3;
    private static final int EVENT_WAIT = 4;
    private static final int SEM_CREATE = 5;
    private static final int SEM_POST = 6;
    private static final int SEM_WAIT = 7;
    private static final int SEM_GET = 8;

    /** The options with a value, and their index in the parser's table. */
    private static final String[] VALUE_OPTIONS = {"--namespace", "--timeout", "--initial", "--max", "--count"};
    private static final int NAMESPACE = 0;
    private static final int TIMEOUT = 1;
    private static final int INITIAL = 2;
    private static final int MAX = 3;
    private static final int COUNT = 4;

    private ShortCommands() {
    }

    /**
     * Runs a command line if it is one of the short commands in a plain form (see the comment
     * at the top of the source), else does nothing.
     *
     * @param out where output lines go
     * @param err where error lines go
     * @param args the arguments, as after {@code waitkit} on a shell
     * @return the command's exit code ({@link ExitCodes}), or {@link #NOT_HANDLED} when nothing
     *         was run and picocli should run the command line
     */
    public static int run(PrintWriter out, PrintWriter err, String[] args) {
        if (args.length < 3) {
            return NOT_HANDLED;
        }
        int command = command(args[0], args[1]);
        if (command < 0) {
            return NOT_HANDLED;
        }
        for (String a : args) {
            if (a.startsWith("@")) {
                return NOT_HANDLED; // picocli reads arguments from that file, an option's value too
            }
        }
        String name = null;
        String[] values = new String[VALUE_OPTIONS.length];
        boolean json = false;
        boolean debug = false;
        boolean manual = false;
        boolean signaled = false;
        boolean barging = false;
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                if (a.isEmpty() || a.charAt(0) == '-' || name != null) {
                    return NOT_HANDLED;
                }
                name = a;
                continue;
            }
            int eq = a.indexOf('=');
            String option = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? null : a.substring(eq + 1);
            switch (option) {
                case "--json" -> {
                    if (value != null || json) {
                        return NOT_HANDLED;
                    }
                    json = true;
                }
                case "--debug" -> {
                    if (value != null || debug) {
                        return NOT_HANDLED;
                    }
                    debug = true;
                }
                case "--manual" -> {
                    if (value != null || manual || command != EVENT_CREATE) {
                        return NOT_HANDLED;
                    }
                    manual = true;
                }
                case "--signaled" -> {
                    if (value != null || signaled || command != EVENT_CREATE) {
                        return NOT_HANDLED;
                    }
                    signaled = true;
                }
                case "--barging" -> {
                    if (value != null || barging || command != SEM_CREATE) {
                        return NOT_HANDLED;
                    }
                    barging = true;
                }
                default -> {
                    int k = valueOption(option, command);
                    if (k < 0 || values[k] != null) {
                        return NOT_HANDLED; // unknown to this command, or repeated: picocli reports it
                    }
                    if (value == null) {
                        if (i + 1 == args.length) {
                            return NOT_HANDLED;
                        }
                        value = args[++i];
                    }
                    if (value.isEmpty() || value.charAt(0) == '-') {
                        return NOT_HANDLED;
                    }
                    values[k] = value;
                }
            }
        }
        if (name == null) {
            return NOT_HANDLED;
        }
        Duration t = null;
        String timeout = values[TIMEOUT];
        if (timeout != null) {
            t = ObjectOptions.parseDurationOrNull(timeout);
            if (t == null) {
                return NOT_HANDLED; // picocli's converter reports it
            }
        }
        String namespace = values[NAMESPACE];
        if (namespace == null) {
            namespace = System.getenv("WAITKIT_NAMESPACE");
            if (namespace != null && (namespace.isEmpty() || namespace.contains("${"))) {
                return NOT_HANDLED; // picocli's default: left to it
            }
        }
        Path dir = null;
        if (namespace != null) {
            try {
                dir = Path.of(namespace);
            } catch (InvalidPathException e) {
                return NOT_HANDLED;
            }
        }
        int count = plainInt(values[COUNT], 1); // the defaults of the options
        int initial = plainInt(values[INITIAL], 0);
        int max = plainInt(values[MAX], Integer.MAX_VALUE);
        if (count < 0 || initial < 0 || max < 0) {
            return NOT_HANDLED;
        }
        ObjectOptions o = ObjectOptions.of(out, err, dir, t, json, debug);
        return switch (command) {
            case EVENT_CREATE -> new EventCommand().create(o, manual, signaled, name);
            case EVENT_SET -> new EventCommand().set(o, name);
            case EVENT_RESET -> new EventCommand().reset(o, name);
            case EVENT_PULSE -> new EventCommand().pulse(o, name);
            case EVENT_WAIT -> new EventCommand().await(o, name);
            case SEM_CREATE -> new SemCommand().create(o, initial, max, barging, name);
            case SEM_POST -> new SemCommand().post(o, count, name);
            case SEM_WAIT -> new SemCommand().await(o, name);
            default -> new SemCommand().get(o, name);
        };
    }

    /** The command that two words name, or -1. */
    private static int command(String kind, String sub) {
        if (kind.equals("event")) {
            return switch (sub) {
                case "create" -> EVENT_CREATE;
                case "set" -> EVENT_SET;
                case "reset" -> EVENT_RESET;
                case "pulse" -> EVENT_PULSE;
                case "wait" -> EVENT_WAIT;
                default -> -1;
            };
        }
        if (kind.equals("sem")) {
            return switch (sub) {
                case "create" -> SEM_CREATE;
                case "post" -> SEM_POST;
                case "wait" -> SEM_WAIT;
                case "get" -> SEM_GET;
                default -> -1;
            };
        }
        return -1;
    }

    /**
     * The index in {@link #VALUE_OPTIONS} of an option with a value that {@code command} takes,
     * or -1.
     */
    private static int valueOption(String option, int command) {
        return switch (option) {
            case "--namespace" -> NAMESPACE;
            case "--timeout" -> TIMEOUT;
            case "--initial" -> command == SEM_CREATE ? INITIAL : -1;
            case "--max" -> command == SEM_CREATE ? MAX : -1;
            case "--count" -> command == SEM_POST ? COUNT : -1;
            default -> -1;
        };
    }

    /**
     * A number of 1 to 9 decimal digits without a leading zero (or "0"): the forms that every
     * int conversion reads alike.
     *
     * @param s the text, or null for the default
     * @param absent the default
     * @return the number, {@code absent} for null, or -1 for any other text
     */
    private static int plainInt(String s, int absent) {
        if (s == null) {
            return absent;
        }
        if (s.isEmpty() || s.length() > 9 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
