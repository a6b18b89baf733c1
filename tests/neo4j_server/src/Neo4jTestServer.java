// The Neo4j 5 Community server for govgraph's tests and benchmarks, in-process through
// neo4j-harness (the real kernel, Cypher runtime and Bolt server, not a mock).
// Run in source-file mode so no build step is needed:
//   java -cp <classpath> Neo4jTestServer.java <dir> <port> <password> <database>
// Bolt only (no HTTP), on 127.0.0.1:<port>, auth on. Community allows one user database,
// but its name is free (initial.dbms.default_database), so tests use a non-default name.
// Prints READY once started; stops when stdin closes or on SIGTERM.

import java.nio.file.Path;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

public class Neo4jTestServer {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Neo4jTestServer <dir> <port> <password> <database>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        String database = args[3];
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(dir)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(GraphDatabaseSettings.initial_default_database, database)
                .build();
        // The built-in user starts with a password that must be changed at first login;
        // set the test password up front, as an operator would with neo4j-admin.
        neo4j.databaseManagementService()
                .database("system")
                .executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close));
        System.out.println("READY " + neo4j.boltURI());
        System.out.flush();
        // Our parent holds stdin open; EOF means it is gone, so we must not outlive it.
        while (System.in.read() != -1) {
            // ignore input
        }
        System.exit(0);
    }
}
