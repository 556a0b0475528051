package io.waitkit.zk;

/**
 * An object of a {@link ZkNamespace}, as {@link ZkNamespace#list()} reports it.
 *
 * @param name the name
 * @param kind {@code mutex}, {@code semaphore}, {@code event}, {@code barrier}, {@code message-queue} or
 *        {@code counter}
 */
public record ZkObjectInfo(String name, String kind) {
}
