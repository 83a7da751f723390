using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using TradeNet.Shared.Auth;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Storage.Backups;

/// <summary><c>POST</c> and <c>GET {service}/backups</c> and <c>DELETE {service}/backups/{id}</c>, operators only. Each service maps them under its own prefix;
/// the work is <see cref="SqliteBackups"/>', which copies every store of the process (in a one-process host, all three).</summary>
public static class BackupEndpoints
{
    public const string MongoAdvice =
        "This service keeps its data in MongoDB: back it up with mongodump and restore it with mongorestore (docs/operations.md, \"Backups and restore\").";

    public static IEndpointRouteBuilder MapBackups(this IEndpointRouteBuilder api)
    {
        var backups = api.MapGroup("/backups").RequireAuthorization(Policies.Operator);
        backups.MapPost("/", TakeAsync).ProducesProblems(403, 409, 503)
            .WithSummary("Takes a backup of every SQLite file of this process into {DataDir}/backups (operators; 409 while one is being taken)");
        backups.MapGet("/", ListAsync).ProducesProblems(403, 409, 503)
            .WithSummary("Lists the complete backups of this process, newest first (operators)");
        backups.MapDelete("/{id}", DeleteAsync).ProducesProblems(400, 403, 404, 409, 503)
            .WithSummary("Deletes a complete backup by its id (operators; 409 while it is being written, 400 for anything not a backup id)");
        return api;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, SqliteBackups backups, HttpContext http,
        CancellationToken ct)
    {
        if (!backups.HasFiles) return Problems.Conflict(MongoAdvice);
        // Checked before anything reaches the disk: only a name TakeAsync makes is a folder under backups ("..", slashes,
        // encoded or not, never are).
        if (!SqliteBackups.IsBackupId(id))
            return Problems.Field("id", "must be a backup's id as the listing gives it (yyyyMMddTHHmmssZ-xxxxxxxx)");
        try
        {
            return await backups.DeleteAsync(id, ct) switch
            {
                BackupDeletion.Deleted => TypedResults.NoContent(),
                BackupDeletion.BeingWritten => Problems.Conflict("That backup is still being written; delete it once it has finished."),
                _ => Problems.NotFound("No complete backup of this process has that id."),
            };
        }
        catch (BackupFailedException ex)
        {
            http.Response.Headers.RetryAfter = StorageUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: ex.Message);
        }
    }

    private static async Task<Results<Created<BackupManifest>, ProblemHttpResult>> TakeAsync(SqliteBackups backups, HttpContext http,
        IHostApplicationLifetime host)
    {
        if (!backups.HasFiles) return Problems.Conflict(MongoAdvice);
        try
        {
            // On the host's stopping token, not the request's: a caller that gives up (a proxy's timeout on a large store,
            // Ctrl-C) would otherwise throw a copy half made away; the backup completes and GET lists it.
            var manifest = await backups.TakeAsync(host.ApplicationStopping);
            // No Location: a backup is a folder on the host's disk (manifest.Id under {DataDir}/backups), not a resource here.
            return TypedResults.Created((string?)null, manifest);
        }
        catch (BackupInProgressException ex)
        {
            return Problems.Conflict(ex.Message);
        }
        catch (OperationCanceledException) when (host.ApplicationStopping.IsCancellationRequested)
        {
            // Its partial copy was deleted: nothing is wrong but the moment, so not the 500 of a bug.
            http.Response.Headers.RetryAfter = StorageUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
                detail: "The service is stopping; the backup was not taken and nothing of it was kept. Ask again once the service is back.");
        }
        catch (Exception ex) when (ex is BackupBusyException or BackupFailedException or BackupRefusedException)
        {
            // As every 503 of the services: nothing was kept, and the same request may succeed after a while.
            http.Response.Headers.RetryAfter = StorageUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: ex.Message);
        }
    }

    private static async Task<Results<Ok<BackupManifest[]>, ProblemHttpResult>> ListAsync(SqliteBackups backups, HttpContext http,
        CancellationToken ct)
    {
        if (!backups.HasFiles) return Problems.Conflict(MongoAdvice);
        try
        {
            return TypedResults.Ok((await backups.ListAsync(ct)).ToArray());
        }
        catch (BackupFailedException ex)
        {
            // The backups folder cannot be read (a file in its place, no permission): the detail says which, the log where.
            http.Response.Headers.RetryAfter = StorageUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: ex.Message);
        }
    }
}
