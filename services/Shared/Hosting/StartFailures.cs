using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace TradeNet.Shared.Hosting;

/// <summary>A setting refused at start (the options checks of <see cref="ServiceDefaults"/> and each service's, or the
/// configuration binder's for a value not of its setting's type), or an
/// address another process already listens on, ends the process with its reason on standard error and exit code 2,
/// instead of an unhandled exception's stack dump and abort (134): the reason is what an operator acts on, and the stack
/// is only the options or socket machinery.</summary>
public static class StartFailures
{
    public const int ExitCode = 2;

    /// <summary>Called first in a host's entry point. Only an exception nothing else handled reaches it, so a test host
    /// (WebApplicationFactory catches what the host throws) still sees the exception itself.</summary>
    public static void ExplainRefusedSettings() =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (Reason(e.ExceptionObject) is not { } reason) return;
            Console.Error.WriteLine(reason);
            Console.Error.Flush();
            Environment.Exit(ExitCode);
        };

    /// <summary>The one line for settings refused at start, or null for any other failure. The host's options check throws
    /// an <see cref="AggregateException"/> when settings of two options types are refused at once (Storage and Matching, in
    /// one host), so that is one too when all it holds are refused settings.</summary>
    internal static string? Reason(object? failure)
    {
        // Kestrel's own message names the address ("Failed to bind to address http://127.0.0.1:5000: address already in use.").
        if (failure is IOException { InnerException: AddressInUseException } bind)
            return $"TradeNet cannot start: {bind.Message} Another process listens there: stop it, or give this one another address (README.md, \"Run it\", names the settings).";
        if (failure is TradeNet.Shared.Storage.Mongo.MongoUnreachableException unreachable)
            return $"TradeNet cannot start: {unreachable.Message}";
        IReadOnlyList<Exception> refused = failure switch
        {
            AggregateException many => many.Flatten().InnerExceptions,
            Exception one => [one],
            _ => [],
        };
        if (refused.Count == 0 || !refused.All(ex => ex is OptionsValidationException || IsNotOfItsType(ex))) return null;
        return $"TradeNet cannot start: {string.Join(" ", refused.SelectMany(ex => ex is OptionsValidationException checks ? checks.Failures : [ex.Message]))}";
    }

    /// <summary>A setting the configuration binder could not convert to its type (<c>Storage:Backups:Every=banana</c>): its
    /// message names the value, the setting and the type, and the binder is all the stack would show. It was an abort (134)
    /// with that stack. Recognised by who threw it, the binder having no exception type of its own.</summary>
    private static bool IsNotOfItsType(Exception ex) =>
        ex is InvalidOperationException { InnerException: not null }
        && ex.TargetSite?.DeclaringType == typeof(Microsoft.Extensions.Configuration.ConfigurationBinder);
}
