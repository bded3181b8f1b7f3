/*
 * One OpenSearch node in this JVM, for the tests: the server and its
 * Netty HTTP transport (as a classpath plugin) from Maven Central, with
 * no security manager, bound to 127.0.0.1 only.
 *
 * Usage: SingleNode HOME PORT-FILE
 *   HOME       an empty directory for the node's data and logs
 *   PORT-FILE  where the HTTP port (chosen by the kernel) is written once
 *              the node has become the cluster manager of its own cluster
 * The node runs until the JVM gets SIGTERM (the node is closed, its
 * files stay) or its standard input reaches end of file, so that it never
 * outlives a test script that dies without cleaning up.
 */
package audispecs.engine;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;

import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

public final class SingleNode {
	private static final String NAME = "audisp-ecs-test";

	/* Node's constructor that takes classpath plugins is protected. */
	private static final class PluginNode extends Node {
		PluginNode(Environment env) {
			super(env, List.of(Netty4Plugin.class), true);
		}
	}

	private SingleNode() {
	}

	private static Settings settings(Path home) {
		return Settings.builder()
		    .put("path.home", home.toString())
		    .put("path.data", home.resolve("data").toString())
		    .put("path.logs", home.resolve("logs").toString())
		    .put("cluster.name", NAME)
		    .put("node.name", NAME)
		    .put("discovery.type", "single-node")
		    .put("network.host", "127.0.0.1")
		    .put("http.port", 0)
		    .put("transport.port", 0)
		    .put("http.type", "netty4")
		    .put("transport.type", "netty4")
		    .put("http.max_content_length", "200mb")
		    /* A test machine's disk may be fuller than a server's. */
		    .put("cluster.routing.allocation.disk.threshold_enabled",
			false)
		    .put("action.auto_create_index", true)
		    .build();
	}

	/* The port file appears whole or not at all: written, then renamed. */
	private static void writePort(Path file, int port) throws Exception {
		Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.write(tmp, (port + "\n").getBytes(StandardCharsets.US_ASCII));
		Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
	}

	private static void waitForEndOfInput() {
		byte[] buf = new byte[256];
		InputStream in = System.in;

		try {
			while (in.read(buf) != -1)
				;
		} catch (Exception e) {
			/* Standard input gone wrong: as good as closed. */
		}
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: SingleNode HOME PORT-FILE");
			System.exit(2);
		}
		Path home = Paths.get(args[0]).toAbsolutePath();
		Files.createDirectories(home.resolve("config"));
		Environment env = InternalSettingsPreparer.prepareEnvironment(
		    settings(home), Collections.emptyMap(),
		    home.resolve("config"), () -> NAME);
		Node node = new PluginNode(env);
		node.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				node.close();
			} catch (Exception e) {
				System.err.println("closing the node: " + e);
			}
		}));
		int port = node.injector().getInstance(HttpServerTransport.class)
		    .boundAddress().publishAddress().getPort();
		writePort(Paths.get(args[1]), port);
		System.out.println("LISTENING " + port);
		System.out.flush();
		waitForEndOfInput();
		System.exit(0);
	}
}
