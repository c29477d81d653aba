package io.stackpilot.stackctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One stackctl invocation in this JVM: its exit code and what it printed on stdout and stderr. */
record Cli(int code, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Stackctl());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** What a person reading the terminal would see. */
  String all() {
    return out + err;
  }
}
