using Microsoft.Extensions.Options;

namespace TradeNet.Shared.Hosting;

/// <summary>A setting refused at start (the options checks of <see cref="ServiceDefaults"/> and each service's) ends the
/// process with its reason on standard error and exit code 2, instead of an unhandled exception's stack dump and abort
/// (134): the reason is what an operator acts on, and the stack is only the options machinery.</summary>
public static class StartFailures
{
    public const int ExitCode = 2;

    /// <summary>Called first in a host's entry point. Only an exception nothing else handled reaches it, so a test host
    /// (WebApplicationFactory catches what the host throws) still sees the exception itself.</summary>
    public static void ExplainRefusedSettings() =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is not OptionsValidationException refused) return;
            Console.Error.WriteLine($"TradeNet cannot start: {string.Join(" ", refused.Failures)}");
            Console.Error.Flush();
            Environment.Exit(ExitCode);
        };
}
