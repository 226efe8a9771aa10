package io.continuum.node;

import io.continuum.sdk.ContinuumApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds the applications a node runs: every {@link ContinuumApp} listed in {@code
 * META-INF/services} on the node's classpath and in the jars of the apps directory.
 */
final class AppLoader {

  private AppLoader() {}

  /**
   * @param appsDir directory of application jars, or an empty string for none
   * @throws IllegalArgumentException when the directory is named but missing
   */
  static List<ContinuumApp> load(String appsDir) {
    ClassLoader loader = AppLoader.class.getClassLoader();
    if (!appsDir.isBlank()) {
      Path dir = Path.of(appsDir);
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            "apps directory " + dir.toAbsolutePath() + " does not exist (continuum.apps.dir)");
      }
      loader = new URLClassLoader(jars(dir), loader);
    }
    List<ContinuumApp> apps = new ArrayList<>();
    ServiceLoader.load(ContinuumApp.class, loader).forEach(apps::add);
    return apps;
  }

  private static URL[] jars(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".jar"))
          .sorted()
          .map(AppLoader::url)
          .toArray(URL[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
