using System.Diagnostics;

namespace TradeNet.AppHost;

/// <summary>Whether a container engine answers: a docker CLI alone (no daemon) is not enough.</summary>
public static class DockerEngine
{
    public static bool Answers(out string why)
    {
        if (Environment.GetEnvironmentVariable("TRADENET_NO_DOCKER") is "1" or "true")
        {
            why = "not used (TRADENET_NO_DOCKER is set)";
            return false;
        }
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = docker.StandardOutput.ReadToEndAsync();
            docker.StandardError.ReadToEndAsync();
            if (!docker.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                docker.Kill();
                why = "the docker CLI did not answer within 10 s";
                return false;
            }
            var version = output.Result.Trim();
            why = docker.ExitCode == 0 && version.Length > 0 ? $"answers (server {version})" : "the docker CLI is installed but no engine answers";
            return docker.ExitCode == 0 && version.Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            why = "no docker CLI on PATH";
            return false;
        }
    }
}
