/**
 * The {@code waitkit} command: {@code waitkit demo}, worker processes sharing named objects
 * (with {@code --local}, an in-process showcase of the wait engine; with {@code --zk}, worker
 * processes sharing objects on an embedded ZooKeeper ensemble),
 * and the commands on the named cross-process objects of {@code io.waitkit.ipc} ({@code ls},
 * {@code info}, {@code event}, {@code sem}, {@code mutex}, {@code mq}, {@code pipe},
 * {@code wait}, {@code rm}, {@code signal}, {@code watch}), which with {@code --zk CONNECT}
 * work on the objects of {@code io.waitkit.zk} instead ({@code counter} and {@code barrier}
 * exist there only). Picocli reads and sets the annotated fields and
 * methods of the command classes reflectively, so their packages are open to it. The
 * {@code ./waitkit} launcher runs the command on the class path.
 */
module io.waitkit.cli {
    requires io.waitkit.ipc;
    requires io.waitkit.zk;
    requires curator.test; // the demo's embedded ensemble (TestingCluster)
    requires transitive info.picocli; // public API: WaitkitCli.commandLine returns a CommandLine

    exports io.waitkit.cli;
    exports io.waitkit.cli.named;

    opens io.waitkit.cli to info.picocli;
    opens io.waitkit.cli.demo to info.picocli;
    opens io.waitkit.cli.named to info.picocli;
}
