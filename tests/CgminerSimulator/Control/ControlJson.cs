using System.Text.Json.Serialization;

namespace Psistats.CgminerSimulator.Control;

/// <summary>One fault in <c>GET /faults</c> and the answer of <c>PUT</c>/<c>DELETE /faults/{name}</c>.</summary>
/// <param name="Name">Fault name.</param>
/// <param name="On">Switched on.</param>
/// <param name="Since">When it was switched on (UTC), null when off.</param>
/// <param name="Seconds">For <c>slow</c> when on: the delay in seconds; null otherwise.</param>
/// <param name="Layer">"miner" (changes values) or "api" (changes the port or the bytes).</param>
/// <param name="Description">What it does.</param>
internal sealed record FaultView(string Name, bool On, DateTimeOffset? Since, double? Seconds, string Layer, string Description);

/// <summary>An error answer.</summary>
/// <param name="Error">What was wrong.</param>
internal sealed record ErrorView(string Error);

/// <summary>Source-generated JSON for the control API (property names in snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FaultView))]
[JsonSerializable(typeof(IReadOnlyList<FaultView>))]
[JsonSerializable(typeof(ErrorView))]
[JsonSerializable(typeof(SimulatorStatus))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
