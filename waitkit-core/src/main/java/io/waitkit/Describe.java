package io.waitkit;

/** How descriptions ({@code toString}) name threads: {@code worker-1 (#23)}. */
final class Describe {
    private Describe() {
    }

    /**
     * Names a thread by its name and id, with a mark for a virtual or terminated one.
     *
     * @param t the thread, or null
     * @return for example {@code worker-1 (#23)}, {@code (#31, virtual)}, or {@code none}
     */
    static String thread(Thread t) {
        if (t == null) {
            return "none";
        }
        String name = t.getName();
        return (name.isEmpty() ? "" : name + " ") + "(#" + t.threadId() + (t.isVirtual() ? ", virtual" : "")
                + (t.getState() == Thread.State.TERMINATED ? ", terminated" : "") + ")";
    }
}
