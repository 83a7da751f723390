using System.Diagnostics;

namespace TradeNet.Integration.Tests.Infrastructure;

/// <summary>Sends a POSIX signal to one process by id (kill -SIGNAL pid).</summary>
public static class Signal
{
    public static async Task SendAsync(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
        })!;
        var error = await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {pid} failed: {error}");
    }
}
