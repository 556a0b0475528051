package io.waitkit.cli.demo;

import java.time.Duration;

/**
 * What the user asked of the demo.
 *
 * @param timed how long each timed part (philosophers, both pipelines, barrier rounds, readers/writers) runs
 * @param philosophers the number of dining philosophers
 */
record DemoSettings(Duration timed, int philosophers) {
    /** How long a part may take beyond its own duration before its threads count as stuck. */
    static final Duration GRACE = Duration.ofSeconds(10);
}
