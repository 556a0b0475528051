/** A module that uses Waitkit: it requires the core by its module name. */
module example.consumer {
    requires io.waitkit.core;
}
