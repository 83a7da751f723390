using System.Text.RegularExpressions;
using static TradeNet.Deploy.Tests.Manifests;

namespace TradeNet.Deploy.Tests;

/// <summary>deploy/docker's Dockerfiles against the projects they build and the ports, settings and folders the code and the
/// other artifacts use. Nothing here has a Docker engine, so a build that cannot find a project, or a container that probes
/// a port nobody listens on, would first be seen by whoever deploys.</summary>
public class DockerfileTests
{
    public static TheoryData<string> EachDeployable => new(Deployables);

    /// <summary>The build copies folders, not the solution: a project reference outside them (a service taking a library of
    /// another's folder) restores nowhere, and only <c>docker build</c> would say so.</summary>
    [Theory]
    [MemberData(nameof(EachDeployable))]
    public void Each_image_copies_every_project_its_deployable_builds_from(string name)
    {
        var copied = Dockerfiles.CopiedFolders(name);
        var published = Dockerfiles.PublishedProjects(name);

        Assert.Equal(2, published.Count); // the deployable and the health probe
        var missing = published.SelectMany(Dockerfiles.ProjectClosure).Distinct()
            .Where(p => !copied.Any(folder => p.StartsWith(folder, StringComparison.Ordinal))).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(EachDeployable))]
    public void Each_image_listens_where_kubernetes_runs_it_and_probes_its_own_rest_port(string name)
    {
        var env = Dockerfiles.Env(name);
        var stage = Dockerfiles.LastStage(name);
        var container = Container(name);
        int? Port(string setting) => env.TryGetValue(setting, out var url) ? PortOf(url) : null;
        int? KubernetesPort(string setting) => EnvValue(container, setting) is { } url ? PortOf(url) : null;

        Assert.All(env.Where(e => e.Key.StartsWith("Endpoints__", StringComparison.Ordinal)), e => Assert.True(IsEveryInterface(e.Value), e.Value));
        Assert.Equal(KubernetesPort("Endpoints__Rest"), Port("Endpoints__Rest"));
        Assert.Equal(KubernetesPort("Endpoints__Grpc"), Port("Endpoints__Grpc"));
        Assert.Equal(new[] { Port("Endpoints__Rest"), Port("Endpoints__Grpc") }.OfType<int>().Select(p => p.ToString()),
            stage.Where(i => i.Keyword == "EXPOSE").SelectMany(i => i.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        // The gRPC port speaks HTTP/2 only: the probe's HTTP/1.1 request there would fail however healthy the service.
        var check = Assert.Single(stage, i => i.Keyword == "HEALTHCHECK").Args;
        Assert.Contains($"\"http://127.0.0.1:{Port("Endpoints__Rest")}/health\"", check);
    }

    /// <summary>The aspnet base image sets ASPNETCORE_HTTP_PORTS=8080. The services listen where Endpoints:Rest and
    /// Endpoints:Grpc say (UseTradeNetEndpoints), so Kestrel ignored it, but warned at every container start "Overriding
    /// address(es) 'http://*:8080'", naming a port nothing listens on (seen running the gateway with the image's setting).</summary>
    [Theory]
    [MemberData(nameof(EachDeployable))]
    public void Each_image_clears_the_base_images_port_8080(string name) =>
        Assert.Equal("", Dockerfiles.Env(name).GetValueOrDefault("ASPNETCORE_HTTP_PORTS"));

    /// <summary>An image is public once pushed: a secret in its ENV is everyone's who can pull it.</summary>
    [Theory]
    [MemberData(nameof(EachDeployable))]
    public void Each_image_sets_only_settings_the_code_reads_and_no_secret(string name)
    {
        var env = Dockerfiles.Env(name);

        Assert.NotEmpty(env);
        Assert.All(env.Keys, setting => Assert.Null(SettingNames.Problem(setting)));
        Assert.All(env.Keys, setting => Assert.DoesNotMatch(new Regex("Key|Password|ConnectionString", RegexOptions.IgnoreCase), setting));
    }

    /// <summary>The image runs as $APP_UID: a data folder it cannot write stops the SQLite store at its first write, and one
    /// that is not a volume is lost with the container.</summary>
    [Theory]
    [MemberData(nameof(EachDeployable))]
    public void Each_image_keeps_its_data_folder_in_a_volume_its_user_owns(string name)
    {
        var stage = Dockerfiles.LastStage(name);
        if (!Dockerfiles.Env(name).TryGetValue("Storage__DataDir", out var dir))
        {
            // The gateway stores nothing.
            Assert.Equal("gateway", name);
            return;
        }
        var user = stage.Select((i, n) => (i, n)).Single(x => x.i.Keyword == "USER");
        var chown = stage.Select((i, n) => (i, n)).Single(x => x.i.Keyword == "RUN" && x.i.Args.Contains($"chown {user.i.Args} {dir}"));

        Assert.True(chown.n < user.n, "the folder is made and given away before the image drops root");
        Assert.Contains(stage, i => i.Keyword == "VOLUME" && i.Args == dir);
        Assert.Equal("$APP_UID", user.i.Args);
        // Kubernetes mounts a writable volume there (the root file system is read-only).
        Assert.Equal(dir, EnvValue(Container(name), "Storage__DataDir"));
        Assert.Contains(Container(name).Items("volumeMounts"), m => m.Text("mountPath") == dir);
    }
}
