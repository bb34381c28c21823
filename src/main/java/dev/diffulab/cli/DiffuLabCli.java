package dev.diffulab.cli;

import dev.diffulab.core.InputException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The headless command line: the same engine and configs as the window. Exit status 0 on success,
 * 2 on bad input (one line on stderr naming the file or key; a stack trace only with
 * {@code --verbose}), 1 on an internal failure.
 */
@Command(name = "diffulab", mixinStandardHelpOptions = true, versionProvider = DiffuLabCli.Version.class, description = "A lab for diffusion models. With no command, opens the window.", subcommands = {
    InfoCommand.class, CorpusCommand.class, TrainCommand.class,
    GenerateCommand.class, EvaluateCommand.class, ExportCommand.class, BenchCommand.class,
    ClassifierCommand.class, ImagesCommand.class})
public final class DiffuLabCli {
  @picocli.CommandLine.Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean verbose;

  public static final int OK = 0;
  public static final int INTERNAL = 1;
  public static final int BAD_INPUT = 2;
  /** Stopped by Ctrl+C (SIGINT) before the work was done, as shells count it. */
  public static final int INTERRUPTED = 130;

  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine cli = new CommandLine(new DiffuLabCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("diffulab: " + ex.getMessage());
      return BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      Throwable t = ex;
      while (t.getCause() != null && !(t instanceof InputException)) {
        t = t.getCause();
      }
      if (verbose) {
        ex.printStackTrace(err);
      }
      if (t instanceof InputException) {
        err.println("diffulab: " + t.getMessage());
        return BAD_INPUT;
      }
      for (Throwable c = ex; c != null; c = c.getCause()) {
        if (c instanceof java.util.concurrent.CancellationException) {
          err.println("diffulab: interrupted");
          return INTERRUPTED;
        }
      }
      err.println("diffulab: internal error: " + ex);
      return INTERNAL;
    });
    return cli.execute(args);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[]{"DiffuLab " + version()};
    }
  }

  static String version() {
    String v = DiffuLabCli.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
