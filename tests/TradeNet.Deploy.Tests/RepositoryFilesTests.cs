using System.Diagnostics;

namespace TradeNet.Deploy.Tests;

/// <summary>What the citation checks count as the repository (RepositoryFiles): a developer's scratch file in a folder git
/// ignores made a cited path or test "exist" on that machine and nowhere else.</summary>
public sealed class RepositoryFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tradenet-repofiles-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path)
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, "# " + path);
    }

    private void Git(params string[] args)
    {
        using var git = Process.Start(new ProcessStartInfo("git", ["-C", _root, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {git.StandardError.ReadToEnd()}");
    }

    [Fact]
    public void In_a_git_repository_files_in_ignored_folders_are_left_out_and_new_files_not_ignored_are_in()
    {
        Git("init", "--quiet");
        File.WriteAllText(Path.Combine(_root, ".gitignore"), "scratch/\nbin/\n");
        Write("docs/tracked.md");
        Write("docs/deleted.md");
        Git("add", ".gitignore", "docs/tracked.md", "docs/deleted.md");
        File.Delete(Path.Combine(_root, "docs/deleted.md"));
        Write("docs/new.md");
        Write("scratch/notes.md");
        Write("tests/X/scratch/Fake.cs");
        Write("tests/X/bin/Built.cs");

        var files = RepositoryFiles.Under(_root);

        Assert.Equal([".gitignore", "docs/new.md", "docs/tracked.md"], files);
        Assert.DoesNotContain("tests/X", RepositoryFiles.FoldersOf(files));
    }

    [Fact]
    public void Outside_a_git_repository_every_file_but_build_output_is_in()
    {
        Write("docs/a.md");
        Write("scratch/notes.md");
        Write("tests/X/bin/Built.cs");
        Write("tests/X/obj/Generated.cs");

        Assert.Equal(["docs/a.md", "scratch/notes.md"], RepositoryFiles.Under(_root));
    }

    [Fact]
    public void A_cited_file_folder_or_one_wildcard_segment_is_found_in_this_repository_and_build_output_is_not()
    {
        Assert.True(RepositoryFiles.Contains("docs/operations.md"));
        Assert.True(RepositoryFiles.Contains("tests/TradeNet.Deploy.Tests/"));
        Assert.True(RepositoryFiles.Contains("tests/*/RepositoryFilesTests.cs"));
        Assert.False(RepositoryFiles.Contains("tests/TradeNet.Deploy.Tests/bin"));
    }
}
