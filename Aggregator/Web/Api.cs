using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Psistats.Aggregator.Consuming;
using Psistats.Aggregator.State;

namespace Psistats.Aggregator.Web;

/// <summary>
/// The read-only HTTP API (JSON):
/// <c>GET /api/hosts</c>, <c>GET /api/hosts/{host}</c>, <c>GET /api/events?host=&amp;kind=&amp;after=&amp;limit=</c>,
/// <c>GET /healthz</c> (503 while the broker connection is down).
/// </summary>
public static class Api
{
    /// <summary>Default and largest <c>limit</c> of /api/events.</summary>
    public const int DefaultEventLimit = 100, MaxEventLimit = 10_000;

    /// <summary>Maps every route on <paramref name="app"/>.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/hosts", (HostStateStore store, TimeProvider time) => Results.Json(store.Hosts(time.GetUtcNow())));

        app.MapGet("/api/hosts/{host}", (string host, HostStateStore store, TimeProvider time) =>
            store.Host(host, time.GetUtcNow()) is { } snapshot
                ? Results.Json(snapshot)
                : Results.Json(new { error = $"unknown host '{host}'" }, statusCode: StatusCodes.Status404NotFound));

        app.MapGet("/api/events", (HostStateStore store, string? host, string? kind, long? after, int? limit) =>
        {
            var take = limit ?? DefaultEventLimit;
            if (take is < 1 or > MaxEventLimit)
            {
                return Results.Json(new { error = $"limit must be between 1 and {MaxEventLimit}" }, statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Json(store.Events(host, kind, after ?? 0, take));
        });

        app.MapGet("/healthz", (ConsumerStats stats) =>
        {
            var body = new
            {
                status = stats.Connected ? "healthy" : "unhealthy",
                broker = stats.Connected ? "connected" : "disconnected",
                broker_error = stats.LastBrokerError,
                frames_accepted = stats.Accepted,
                frames_rejected = stats.Rejected,
            };
            return Results.Json(body, statusCode: stats.Connected ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}
