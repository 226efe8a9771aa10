package io.continuum.helm;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.Map;

/** The chart {@code helm/continuum}, linted and rendered by a real Helm (helm-java). */
final class Chart {

  static final Path DIR = Path.of(System.getProperty("continuum.chart", "../helm/continuum"));

  /** The three-zone example values of the README. */
  static final Path THREE_ZONES =
      Path.of(System.getProperty("continuum.helm-examples", "../helm")).resolve("three-zones.yaml");

  static final String RELEASE = "demo";
  static final String NAMESPACE = "continuum-test";

  /** The base name of the resources of release {@link #RELEASE}. */
  static final String BASE = "demo-continuum";

  private Chart() {}

  /** {@code helm lint --strict} with the chart's default values. */
  static LintResult lint() {
    return new Helm(DIR).lint().strict().call();
  }

  /** {@code helm template} with the default values. */
  static Manifests render() {
    return render(null, Map.of());
  }

  /**
   * {@code helm template demo helm/continuum -n continuum-test [-f values] [--set k=v ...]}.
   *
   * @param values a values file, or {@code null}
   */
  static Manifests render(Path values, Map<String, ?> set) {
    TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
    if (values != null) {
      template = template.withValuesFile(values);
    }
    for (Map.Entry<String, ?> entry : set.entrySet()) {
      template = template.set(entry.getKey(), entry.getValue());
    }
    return Manifests.parse(template.call());
  }

  /**
   * The output of {@code helm install --dry-run=client} with the given values: the rendered
   * manifests followed by NOTES.txt. Needs no Kubernetes cluster.
   */
  static String installDryRun(Path values) {
    InstallCommand install =
        new Helm(DIR)
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .clientOnly()
            .dryRun()
            .withDryRunOption(DryRun.CLIENT);
    if (values != null) {
      install = install.withValuesFile(values);
    }
    return install.call().getOutput();
  }
}
