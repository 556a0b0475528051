package io.waitkit.contract;

/**
 * An item the container contracts ({@link ItemContainerContract}, {@link BoundedChannelContract})
 * pass through the container under test. Adapters convert it to whatever their container
 * carries (the object itself, a message with {@code key} as its priority, bytes …) and back,
 * so that the same contract runs against every backend.
 *
 * @param key the ordering key of priority containers (ignored by FIFO containers)
 * @param seq tells items apart; unique within a test
 */
public record Item(int key, int seq) {
}
