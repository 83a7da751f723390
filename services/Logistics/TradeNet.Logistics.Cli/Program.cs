using System.Globalization;
using TradeNet.Logistics.Benchmarks.Formats;
using TradeNet.Logistics.Planner.Core;

// solve-vrp --instance FILE [--time-limit SECONDS] [--out FILE]
// Writes the routes in the instance family's own solution format; errors are one line on stderr.
const string usage = "usage: solve-vrp --instance FILE [--time-limit SECONDS] [--out FILE]";
try
{
    if (args.Length == 0 || args[0] != "solve-vrp") return Fail(usage);
    string? instance = null, output = null;
    double seconds = 10;
    for (int i = 1; i < args.Length; i++)
    {
        string flag = args[i];
        if (i + 1 >= args.Length) return Fail($"{flag} needs a value; {usage}");
        string value = args[++i];
        switch (flag)
        {
            case "--instance": instance = value; break;
            case "--out": output = value; break;
            case "--time-limit":
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || seconds <= 0 || seconds > 86400)
                    return Fail($"--time-limit must be a positive number of seconds, not '{value}'");
                break;
            default: return Fail($"unknown option {flag}; {usage}");
        }
    }
    if (instance is null) return Fail($"--instance is required; {usage}");
    if (!File.Exists(instance)) return Fail($"instance file not found: {instance}");

    var file = BenchmarkFile.Parse(File.ReadAllText(instance), instance);
    var result = file.Solve(new SolverOptions(TimeSpan.FromSeconds(seconds)));
    string text = file.Write(result);
    if (output is null) Console.Out.Write(text);
    else File.WriteAllText(output, text);
    if (result.Violations.Count > 0) return Fail($"no feasible solution found: {result.Violations[0]}");
    Console.Error.WriteLine($"{file.Name}: {result.Vehicles} vehicles, cost {result.Cost.ToString("0.##", CultureInfo.InvariantCulture)}");
    return 0;
}
catch (BenchmarkFormatException e)
{
    return Fail(e.Message);
}
catch (IOException e)
{
    return Fail(e.Message);
}
catch (UnauthorizedAccessException e)
{
    return Fail(e.Message);
}

static int Fail(string message)
{
    Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
    return 1;
}
