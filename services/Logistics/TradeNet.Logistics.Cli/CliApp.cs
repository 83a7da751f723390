using System.Globalization;
using TradeNet.Logistics.Benchmarks.Formats;
using TradeNet.Logistics.Planner.Core;

namespace TradeNet.Logistics.Cli;

/// <summary>
/// <c>solve-vrp --instance FILE [--time-limit SECONDS] [--out FILE]</c>: the routes in the instance family's own
/// solution format. Every failure is one <c>error: …</c> line on stderr with its exit code (docs/logistics.md).
/// </summary>
public static class CliApp
{
    public const int Ok = 0, UsageError = 1, BadInstance = 2, NoFeasibleSolution = 3, InternalError = 4;
    public const double MaxSeconds = 86400;

    private const string Usage = "usage: solve-vrp --instance FILE [--time-limit SECONDS] [--out FILE]";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return Solve(args, stdout, stderr);
        }
        catch (Exception e)
        {
            // A bug, not bad input: still one line, never a stack trace.
            return Fail(stderr, InternalError, $"internal error ({e.GetType().Name}): {e.Message}");
        }
    }

    private static int Solve(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] != "solve-vrp") return Fail(stderr, UsageError, Usage);
        string? instance = null, output = null;
        double seconds = 10;
        for (int i = 1; i < args.Length; i++)
        {
            string flag = args[i];
            // Named as unknown wherever it stands: last, it has no value to miss.
            if (flag is not ("--instance" or "--out" or "--time-limit")) return Fail(stderr, UsageError, $"unknown option {flag}; {Usage}");
            if (i + 1 >= args.Length) return Fail(stderr, UsageError, $"{flag} needs a value; {Usage}");
            string value = args[++i];
            switch (flag)
            {
                case "--instance": instance = value; break;
                case "--out": output = value; break;
                case "--time-limit":
                    // NaN fails every comparison, so the range is stated positively; a tiny value rounds to 0 ticks.
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)
                        || !(seconds is > 0 and <= MaxSeconds) || TimeSpan.FromSeconds(seconds) <= TimeSpan.Zero)
                        return Fail(stderr, UsageError, $"--time-limit must be a number of seconds above 0, at most {MaxSeconds}, not '{value}'");
                    break;
                default: return Fail(stderr, UsageError, $"unknown option {flag}; {Usage}");
            }
        }
        if (instance is null) return Fail(stderr, UsageError, $"--instance is required; {Usage}");
        if (Directory.Exists(instance)) return Fail(stderr, UsageError, $"--instance '{instance}' is a folder, not an instance file");
        if (!File.Exists(instance)) return Fail(stderr, UsageError, $"instance file not found: {instance}");
        // Before the solve, which may take the whole time limit: a bad --out would otherwise throw it away.
        if (output is not null && OutputProblem(output) is { } problem) return Fail(stderr, UsageError, $"--out {problem}");

        string text;
        try { text = File.ReadAllText(instance); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(stderr, UsageError, $"cannot read {instance}: {e.Message}"); }

        BenchmarkFile file;
        try { file = BenchmarkFile.Parse(text, instance); }
        catch (BenchmarkFormatException e) { return Fail(stderr, BadInstance, e.Message); }

        var result = file.Solve(new SolverOptions(TimeSpan.FromSeconds(seconds)));
        if (!double.IsFinite(result.Cost)) return Fail(stderr, InternalError, $"internal error: cost {result.Cost} is not a number");
        string solution = file.Write(result);
        if (output is null) stdout.Write(solution);
        else
        {
            try { File.WriteAllText(output, solution); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(stderr, UsageError, $"cannot write {output}: {e.Message}"); }
        }
        if (result.Violations.Count > 0) return Fail(stderr, NoFeasibleSolution, $"no feasible solution found: {result.Violations[0]}");
        stderr.WriteLine($"{file.Name}: {result.Vehicles} vehicles, cost {result.Cost.ToString("0.##", CultureInfo.InvariantCulture)}");
        return Ok;
    }

    /// <summary>Why <paramref name="path"/> cannot take the solution, or null. Creating it is the one honest check of write access.</summary>
    private static string? OutputProblem(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return "needs a file name";
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return $"'{path}' is not a valid path: {e.Message}"; }
        if (Directory.Exists(full)) return $"'{path}' is a folder";
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder)) return $"'{path}': folder {folder} does not exist";
        bool existed = File.Exists(full);
        try
        {
            using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write)) { }
            if (!existed) File.Delete(full);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"'{path}' cannot be written: {e.Message}"; }
    }

    private static int Fail(TextWriter stderr, int code, string message)
    {
        stderr.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}
