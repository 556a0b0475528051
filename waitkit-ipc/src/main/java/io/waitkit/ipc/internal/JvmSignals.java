package io.waitkit.ipc.internal;

/*
 * The JVM's signal API (sun.misc.Signal and sun.misc.SignalHandler of the module
 * jdk.unsupported) reached through method handles and a java.lang.reflect.Proxy.
 *
 * Why not plain calls: javac reports every use of sun.misc.Signal as "internal proprietary API
 * and may be removed in a future release", also in a module that requires jdk.unsupported, and
 * neither @SuppressWarnings nor -Xlint:-... silences it, so the module's -Werror build would
 * fail. The handles are looked up with the public lookup (sun.misc is exported without
 * qualification), the module requires jdk.unsupported so that the module is resolved; nothing
 * here opens or reflects on a non-public member.
 *
 * Invariants: the handles are bound once, in the static initializer; when the lookup fails (a
 * JVM without jdk.unsupported) the class still loads, available() is false and every method but
 * the two availability ones throws IllegalStateException. A handler object made by newHandler
 * is a proxy: its handle(Signal) runs the given Runnable; equals is identity, so the JVM's
 * handler table and the identity checks of the caller work on it.
 *
 * Races: sun.misc.Signal.handle is synchronized in the JDK; this class adds no lock of its own,
 * the caller (Signals) serializes install and restore per signal.
 */

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * Access to the JVM's signal handlers ({@code sun.misc.Signal} of {@code jdk.unsupported})
 * without compile-time references to it. Handlers and signals are passed as {@link Object}s
 * that are instances of {@code sun.misc.SignalHandler} and {@code sun.misc.Signal}. Every
 * method may be called from any thread; {@link #install} is serialized by the JDK.
 */
public final class JvmSignals {
    /**
     * The class name of the JVM's wrapper of a native (VM-internal) handler, as the handler
     * returned by {@code Signal.handle} shows it in its {@code toString} (measured on JDK 25).
     */
    static final String NATIVE_HANDLER_CLASS = "jdk.internal.misc.Signal$NativeHandler";

    private static final Class<?> HANDLER_CLASS;
    private static final MethodHandle NEW_SIGNAL;
    private static final MethodHandle HANDLE;
    private static final MethodHandle NUMBER;
    private static final Object SIG_DFL;
    private static final Object SIG_IGN;
    private static final String UNAVAILABLE;

    static {
        Class<?> handlerClass = null;
        MethodHandle newSignal = null;
        MethodHandle handle = null;
        MethodHandle number = null;
        Object dfl = null;
        Object ign = null;
        String unavailable = null;
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            handlerClass = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            newSignal = lookup.findConstructor(signalClass, MethodType.methodType(void.class, String.class));
            handle = lookup.findStatic(signalClass, "handle",
                    MethodType.methodType(handlerClass, signalClass, handlerClass));
            number = lookup.findVirtual(signalClass, "getNumber", MethodType.methodType(int.class));
            dfl = lookup.findStaticGetter(handlerClass, "SIG_DFL", handlerClass).invoke();
            ign = lookup.findStaticGetter(handlerClass, "SIG_IGN", handlerClass).invoke();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError e) {
                throw e;
            }
            unavailable = "the JVM's signal API (sun.misc.Signal of jdk.unsupported) is unavailable: " + t;
            handlerClass = null;
            newSignal = handle = number = null;
            dfl = ign = null;
        }
        HANDLER_CLASS = handlerClass;
        NEW_SIGNAL = newSignal;
        HANDLE = handle;
        NUMBER = number;
        SIG_DFL = dfl;
        SIG_IGN = ign;
        UNAVAILABLE = unavailable;
    }

    private JvmSignals() {
    }

    /**
     * Whether the JVM's signal API could be bound.
     *
     * @return true when every other method may be called
     */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /**
     * Why the JVM's signal API is unavailable.
     *
     * @return the reason, or null when {@link #available()} is true
     */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * The JVM's object for a signal name.
     *
     * @param name the name without {@code SIG} ({@code "USR1"})
     * @return a {@code sun.misc.Signal}
     * @throws IllegalArgumentException when the JVM does not know the name
     * @throws IllegalStateException when the API is unavailable
     */
    public static Object signal(String name) {
        requireAvailable();
        try {
            return NEW_SIGNAL.invoke(name);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * The host number the JVM has for a signal.
     *
     * @param signal a {@code sun.misc.Signal} from {@link #signal}
     * @return its number
     * @throws IllegalStateException when the API is unavailable
     */
    public static int number(Object signal) {
        requireAvailable();
        try {
            return (int) NUMBER.invoke(signal);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Makes the JVM call {@code handler} for {@code signal} ({@code sun.misc.Signal.handle}).
     * The JVM runs a handler on a new thread of its own for each delivery.
     *
     * @param signal a {@code sun.misc.Signal} from {@link #signal}
     * @param handler a handler from {@link #newHandler}, or one {@link #install} returned before
     * @return the handler the signal had before
     * @throws IllegalArgumentException when the JVM refuses (its message says why, for example
     *         {@code "Signal already used by VM or OS: SIGKILL"})
     * @throws IllegalStateException when the API is unavailable
     */
    public static Object install(Object signal, Object handler) {
        requireAvailable();
        Objects.requireNonNull(handler, "handler");
        try {
            return HANDLE.invoke(signal, handler);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * A new handler that runs {@code onSignal} on each delivery; its {@code toString} is
     * {@code label}, {@code equals} is identity.
     *
     * @param label the text for {@code toString}
     * @param onSignal what a delivery runs (on the JVM's signal thread)
     * @return a {@code sun.misc.SignalHandler}
     * @throws IllegalStateException when the API is unavailable
     */
    public static Object newHandler(String label, Runnable onSignal) {
        requireAvailable();
        Objects.requireNonNull(onSignal, "onSignal");
        ClassLoader loader = JvmSignals.class.getClassLoader();
        return Proxy.newProxyInstance(loader, new Class<?>[] {HANDLER_CLASS}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "handle" -> {
                    onSignal.run();
                    return null;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return label;
                }
                default -> throw new UnsupportedOperationException(method.toString());
            }
        });
    }

    /**
     * Describes a handler {@link #install} returned, for messages.
     *
     * @param handler the handler
     * @return {@code "SIG_DFL"}, {@code "SIG_IGN"}, or the handler's {@code toString}
     */
    public static String describe(Object handler) {
        if (handler == null) {
            return "null";
        }
        if (handler == SIG_DFL) {
            return "SIG_DFL";
        }
        if (handler == SIG_IGN) {
            return "SIG_IGN";
        }
        return String.valueOf(handler);
    }

    /**
     * Whether a handler {@link #install} returned is one of the JVM's own native handlers (on
     * HotSpot for Linux: the suspend/resume handler of SIGUSR2 and the handler that ignores
     * SIGPIPE), which a Java handler would replace. The JVM's Java handlers (the shutdown
     * handler of SIGHUP, SIGINT and SIGTERM), {@code SIG_DFL} and {@code SIG_IGN} are not.
     *
     * @param handler the handler
     * @return true for a native handler of the JVM
     */
    public static boolean isJvmNative(Object handler) {
        return handler != null && handler != SIG_DFL && handler != SIG_IGN
                && String.valueOf(handler).startsWith(NATIVE_HANDLER_CLASS);
    }

    private static void requireAvailable() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
    }
}
