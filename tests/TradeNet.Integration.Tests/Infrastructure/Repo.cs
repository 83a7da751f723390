using TradeNet.AppHost;

namespace TradeNet.Integration.Tests.Infrastructure;

public static class Repo
{
    /// <summary>The checkout's root (where TradeNet.sln is), found from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the processes under test come from the same build as the tests.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string Assembly(string projectDir, string name) =>
        Path.Combine(Root, projectDir, "bin", Configuration, "net10.0", name + ".dll");

    public static int FreePort() => ListenPorts.Next();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TradeNet.sln"))) return dir.FullName;
        throw new InvalidOperationException("TradeNet.sln not found above " + AppContext.BaseDirectory);
    }
}
