using System.Diagnostics;
using System.Text;

namespace TradeNet.Integration.Tests.Infrastructure;

/// <summary>A TradeNet service running as its own process, its output kept for the failure message.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];
    private int _disposed;

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>The OS process id (for a pause: SIGSTOP, then SIGCONT).</summary>
    public int ProcessId => _process.Id;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>When the process was found stopped after its kill (UTC; null while it runs): it did nothing after.</summary>
    public DateTimeOffset? StoppedAt { get; private set; }

    public static async Task<ServiceProcess> StartAsync(string name, string dll, IDictionary<string, string> environment, Uri health)
    {
        var service = Launch(name, dll, environment);
        await service.WaitHealthyAsync(health, TimeSpan.FromSeconds(90));
        return service;
    }

    /// <summary>Started, and returned as soon as its output holds <paramref name="text"/> (a moment of its start).</summary>
    public static async Task<ServiceProcess> StartUntilOutputAsync(string name, string dll, IDictionary<string, string> environment, string text)
    {
        var service = Launch(name, dll, environment);
        await service.OutputAsync(text, TimeSpan.FromSeconds(90));
        return service;
    }

    /// <summary>Completes as the line holding <paramref name="text"/> comes in (at once if it has), not polled: the moment
    /// may be short (a test signals the process in it).</summary>
    public Task OutputAsync(string text, TimeSpan limit)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal)) return Task.CompletedTask;
            _awaited.Add((text, seen));
        }
        return seen.Task.WaitAsync(limit);
    }

    private static ServiceProcess Launch(string name, string dll, IDictionary<string, string> environment)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"{name} is not built: {dll}");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var awaited in _awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)).ToList())
            {
                awaited.Seen.TrySetResult();
                _awaited.Remove(awaited);
            }
        }
    }

    private async Task WaitHealthyAsync(Uri health, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync(health)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Name} was not healthy at {health} within {timeout}:\n{Output}");
    }

    /// <summary>The exit code, or null when the process is still running after <paramref name="limit"/>.</summary>
    public async Task<int?> ExitCodeWithinAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException) { return null; }
    }

    public async ValueTask DisposeAsync()
    {
        // Once only: a replica killed and left down is still listed until it starts again, and the network's disposal
        // may meet it there.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        StoppedAt = DateTimeOffset.UtcNow;
        _process.Dispose();
    }
}
