using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TradeNet.Deploy.Tests;

/// <summary>The files a clone of the repository has: what the documents' citations are checked against. Asked of git when
/// git and the repository are there (tracked files, and new ones not yet added unless git ignores them), so a developer's
/// scratch files in ignored folders (/tmp/, a host's data folder, .vs/) neither count as docs nor make a cited path or
/// test exist that a clean clone lacks. Without git (a source archive), every file but build output, as before.</summary>
internal static class RepositoryFiles
{
    private static readonly string[] BuildOutput = ["bin", "obj", "artifacts", "TestResults", ".git", "node_modules"];

    /// <summary>The repository's files, relative to its root with '/' separators.</summary>
    public static IReadOnlyList<string> All { get; } = Under(Yaml.RepoRoot);

    /// <summary>Every folder holding one of <see cref="All"/>, at any depth.</summary>
    public static IReadOnlySet<string> Folders { get; } = FoldersOf(All);

    public static IReadOnlyList<string> Under(string root) => Listed(root) ?? Walked(root);

    /// <summary>Whether <paramref name="path"/> (a file or folder; one '*' wildcard segment allowed) is in the repository.</summary>
    public static bool Contains(string path)
    {
        path = path.TrimEnd('/');
        if (!path.Contains('*')) return All.Contains(path) || Folders.Contains(path);
        var pattern = new Regex("^" + Regex.Escape(path).Replace(@"\*", "[^/]*") + "$");
        return All.Any(pattern.IsMatch) || Folders.Any(pattern.IsMatch);
    }

    internal static IReadOnlySet<string> FoldersOf(IEnumerable<string> files)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
            for (var slash = file.LastIndexOf('/'); slash > 0; slash = file.LastIndexOf('/', slash - 1))
                if (!folders.Add(file[..slash])) break;
        return folders;
    }

    /// <summary>git's list, or null when git is missing or <paramref name="root"/> is not a repository. Files deleted but
    /// not yet committed are left out: the tree lacks them.</summary>
    internal static IReadOnlyList<string>? Listed(string root)
    {
        try
        {
            var git = new ProcessStartInfo("git", ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(git)!;
            var output = process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) return null;
            return output.Result.Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Where(f => File.Exists(Path.Combine(root, f))).Order(StringComparer.Ordinal).ToList();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }

    internal static IReadOnlyList<string> Walked(string root) => Directory
        .EnumerateFiles(root, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
        .Where(f => !f.Split('/').Any(BuildOutput.Contains))
        .Order(StringComparer.Ordinal).ToList();
}
