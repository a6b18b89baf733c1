/*
 * govgraph's ArcadeDB server plugin: the embedded store listens on Bolt only.
 *
 * govgraph talks to ArcadeDB through the neo4j driver over Bolt, never HTTP. ArcadeDB 26.10.2
 * always starts its HTTP server (ArcadeDBServer.start() builds an HttpServer and calls its
 * startService(); no setting turns it off), and on 127.0.0.1 any local user can reach it: to
 * try passwords, and to lock the root user out (ServerSecurity locks a user name out after 5
 * failed logins, for Bolt logins too). This plugin runs in the BEFORE_HTTP_ON phase, between
 * the HttpServer's construction and its startService(), and puts an HttpServer in its place
 * whose startService() opens no listener. Nothing else in the server needs the listener.
 *
 * It also gives govgraph its own Bolt user, named and passworded in the 0600 file that the
 * system property govgraph.boltUserFile points to (first line the name, second the password):
 * the lock-out above is per user name, and anyone can lock out "root", but nobody can lock
 * out a name they cannot guess.
 *
 * If the field it replaces is gone (another ArcadeDB version), it throws: the server then
 * refuses to start and govgraph reports why, instead of running with the HTTP port open.
 *
 * Rebuild with a JDK 21+ (the classes/ are shipped: the bundled JRE has no compiler):
 *   javac --release 21 -cp '<arcadedb_embedded>/jars/*' -d classes BoltOnlyPlugin.java
 */
package govgraph.arcadedb;

import com.arcadedb.ContextConfiguration;
import com.arcadedb.log.LogManager;
import com.arcadedb.server.ArcadeDBServer;
import com.arcadedb.server.ServerPlugin;
import com.arcadedb.server.http.HttpServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

public final class BoltOnlyPlugin implements ServerPlugin {
  private ArcadeDBServer server;

  @Override
  public String getName() {
    return "BoltOnly";
  }

  @Override
  public void configure(final ArcadeDBServer server, final ContextConfiguration configuration) {
    this.server = server;
  }

  @Override
  public PluginInstallationPriority getInstallationPriority() {
    return PluginInstallationPriority.BEFORE_HTTP_ON;
  }

  @Override
  public void startService() {
    final HttpServer built;
    try {
      final Field field = ArcadeDBServer.class.getDeclaredField("httpServer");
      field.setAccessible(true);
      built = (HttpServer) field.get(server);
      field.set(server, new ListenerlessHttpServer(server));
    } catch (final ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "govgraph could not keep ArcadeDB's HTTP server closed (ArcadeDB version changed?)", e);
    }
    if (built != null)
      built.stopService(); // never started: this only releases what its constructor made
    LogManager.instance().log(this, Level.INFO, "govgraph: HTTP server disabled, Bolt only");
    installBoltUser();
  }

  private void installBoltUser() {
    final String file = System.getProperty("govgraph.boltUserFile");
    if (file == null)
      return;
    final List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new IllegalStateException("govgraph could not read its Bolt user file " + file, e);
    }
    if (lines.size() < 2 || lines.get(0).isBlank() || lines.get(1).isEmpty())
      throw new IllegalStateException("govgraph's Bolt user file " + file + " is incomplete");
    final String name = lines.get(0), password = lines.get(1);
    if (server.getSecurity().existsUser(name))
      server.getSecurity().setUserPassword(name, password);
    else
      server.getSecurity().createUser(name, password); // admin of every database
  }

  /** An HttpServer that never listens; stopping it releases its session managers as usual. */
  static final class ListenerlessHttpServer extends HttpServer {
    ListenerlessHttpServer(final ArcadeDBServer server) {
      super(server);
    }

    @Override
    public void startService() {
      // deliberately no listener: see the class comment of BoltOnlyPlugin
    }
  }
}
