package io.waitkit.ipc;

import java.util.OptionalLong;

/**
 * A snapshot of one named object, as {@link Namespace#list()} and {@link NamedObject#info()}
 * report it.
 *
 * @param name the object's name in its namespace
 * @param kind {@code event}, {@code mutex}, {@code semaphore}, or {@code corrupt} for a file
 *        that {@code list()} could not read (its state then says why)
 * @param state a short text per kind: an event {@code signaled} or {@code not signaled}; a mutex
 *        {@code free}, {@code held (holds=N)} or {@code abandoned}; a semaphore
 *        {@code available/max} (for example {@code 3/10})
 * @param ownerPid the pid of the process holding a mutex; empty otherwise
 * @param waiters the waits blocked on the object in every process (a process killed while
 *        waiting can leave this count too high until the object's last opener closes it)
 * @param openers the processes (open file descriptions) that have the object open
 */
public record NamedObjectInfo(String name, String kind, String state, OptionalLong ownerPid, int waiters,
        int openers) {
}
