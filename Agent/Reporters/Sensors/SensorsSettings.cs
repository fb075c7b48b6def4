namespace Psistats.Agent.Reporters.Sensors;

/// <summary>What <c>[sensors]</c> configures beyond enabled and interval.</summary>
/// <param name="Devices">The <c>devices</c> filter; empty to send every feature of every chip and every thermal zone.</param>
public sealed record SensorsSettings(IReadOnlyList<SensorSelector> Devices);
