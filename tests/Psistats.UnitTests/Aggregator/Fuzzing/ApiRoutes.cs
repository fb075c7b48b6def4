using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Consuming;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Remediation;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.State;
using Psistats.Aggregator.Storage;
using Psistats.Aggregator.Web;

namespace Psistats.UnitTests.Aggregator.Fuzzing;

/// <summary>
/// The aggregator's real route handlers (<see cref="Api.Map"/> on a WebApplication built as Program.cs builds it, never
/// started), called in process: each request gets a <see cref="DefaultHttpContext"/> whose services are one bed's objects, so
/// the handler code, Results.Json and the JSON options the routes use are exactly the aggregator's, without Kestrel. An
/// exception of a handler or of its serialisation comes out of <see cref="Get"/> as it is.
/// </summary>
internal static class ApiRoutes
{
    /// <summary>The services the routes take from the aggregator's container; each bed brings its own.</summary>
    private static readonly Type[] BedTypes =
    [
        typeof(HostStateStore), typeof(AlertStore), typeof(AlertEngine), typeof(SilenceStore), typeof(TimeProvider), typeof(RuleSet),
        typeof(MinerWatch), typeof(ConsumerStats), typeof(NotificationDispatcher), typeof(AggregatorOptions), typeof(DownDetector),
    ];

    private static readonly Lazy<(IServiceProvider Services, Dictionary<string, RequestDelegate> Get)> App = new(Build);

    /// <summary>The route patterns of every GET route the aggregator maps.</summary>
    public static IReadOnlyCollection<string> GetPatterns => App.Value.Get.Keys;

    /// <summary>The request services of a bed: its objects, then the application's (JSON options, logging).</summary>
    public static IServiceProvider Services(IReadOnlyDictionary<Type, object> bed) => new BedServices(bed, App.Value.Services);

    /// <summary>
    /// GET of the route <paramref name="pattern"/> (e.g. <c>/api/hosts/{host}</c>) with <paramref name="query"/> and a route value:
    /// the status code and the body.
    /// </summary>
    public static (int Status, string Body) Get(IServiceProvider services, string pattern, string query, (string Name, string Value)? route)
    {
        var handler = App.Value.Get.TryGetValue(pattern, out var found) ? found : throw new ArgumentException($"no GET route {pattern}", nameof(pattern));
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = route is { } r ? pattern.Replace("{" + r.Name + "}", r.Value, StringComparison.Ordinal) : pattern;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        if (route is { } value)
        {
            context.Request.RouteValues[value.Name] = value.Value;
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        handler(context).GetAwaiter().GetResult();
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }

    private static (IServiceProvider, Dictionary<string, RequestDelegate>) Build()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        foreach (var type in BedTypes)
        {
            // Registered so that the route handlers take them as services; every request resolves them from its bed.
            builder.Services.TryAddSingleton(type, _ => throw new InvalidOperationException($"{type.Name} comes from the bed of the request"));
        }

        var app = builder.Build();
        Api.Map(app);
        var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) == true)
            .ToDictionary(e => e.RoutePattern.RawText!, e => e.RequestDelegate!, StringComparer.Ordinal);
        return (app.Services, routes);
    }

    private sealed class BedServices(IReadOnlyDictionary<Type, object> bed, IServiceProvider application) : IServiceProvider
    {
        public object? GetService(Type serviceType) => bed.TryGetValue(serviceType, out var service) ? service : application.GetService(serviceType);
    }
}
