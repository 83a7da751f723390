using Microsoft.Extensions.Options;

namespace TradeNet.Shared.Hosting;

/// <summary>A setting refused at start (the options checks of <see cref="ServiceDefaults"/> and each service's) ends the
/// process with its reason on standard error and exit code 2, instead of an unhandled exception's stack dump and abort
/// (134): the reason is what an operator acts on, and the stack is only the options machinery.</summary>
public static class StartFailures
{
    public const int ExitCode = 2;

    /// <summary>Runs the host until it stops: 0, or <see cref="ExitCode"/> when a setting was refused.</summary>
    public static async Task<int> RunAsync(Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"TradeNet cannot start: {string.Join(" ", ex.Failures)}");
            return ExitCode;
        }
    }
}
