package io.continuum.persistence.embedded;

import java.nio.file.Path;

/** A journal server in a process of its own, for tests that kill it: prints its address. */
public final class JournalServerProcess {

  private JournalServerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    JournalServer server =
        JournalServer.serve(
            Path.of(args[0]), JournalSettings.defaults(), Integer.parseInt(args[1]));
    System.out.println("serving " + server.address());
    System.out.flush();
    Thread.currentThread().join();
  }
}
