namespace Psistats.CgminerSimulator.Api;

/// <summary>
/// The STATUS object of a reply: severity letter, code and message, as api.c's message() builds them
/// (codes and texts from api.c's codes[] table; <c>When</c> and <c>Description</c> are added when written).
/// </summary>
/// <param name="Severity">S success, I info, W warning, E error, F fatal.</param>
/// <param name="Code">MSG_* code.</param>
/// <param name="Msg">Message text.</param>
internal sealed record ApiStatus(char Severity, int Code, string Msg)
{
    /// <summary>7: "N Pool(s)".</summary>
    public static ApiStatus Pools(int count) => new('S', 7, $"{count} Pool(s)");

    /// <summary>9: "N ASC(s)".</summary>
    public static ApiStatus Devs(int count) => new('S', 9, $"{count} ASC(s)");

    /// <summary>11: "Summary".</summary>
    public static ApiStatus Summary { get; } = new('S', 11, "Summary");

    /// <summary>14: "Invalid command".</summary>
    public static ApiStatus InvalidCommand { get; } = new('E', 14, "Invalid command");

    /// <summary>15: "Missing device id parameter".</summary>
    public static ApiStatus MissingDeviceId { get; } = new('E', 15, "Missing device id parameter");

    /// <summary>22: "CGMiner versions".</summary>
    public static ApiStatus Version { get; } = new('S', 22, "CGMiner versions");

    /// <summary>23: "Invalid JSON".</summary>
    public static ApiStatus InvalidJson { get; } = new('E', 23, "Invalid JSON");

    /// <summary>24: "Missing JSON 'command'".</summary>
    public static ApiStatus MissingJsonCommand { get; } = new('E', 24, "Missing JSON 'command'");

    /// <summary>33: "CGMiner config".</summary>
    public static ApiStatus Config { get; } = new('S', 33, "CGMiner config");

    /// <summary>45: "Access denied to 'CMD' command".</summary>
    public static ApiStatus AccessDenied(string command) => new('E', 45, $"Access denied to '{command}' command");

    /// <summary>46: "Privileged access OK".</summary>
    public static ApiStatus PrivilegedOk { get; } = new('S', 46, "Privileged access OK");

    /// <summary>59: "PGA count".</summary>
    public static ApiStatus PgaCount { get; } = new('S', 59, "PGA count");

    /// <summary>69: "Device Details".</summary>
    public static ApiStatus DevDetails { get; } = new('S', 69, "Device Details");

    /// <summary>70: "CGMiner stats".</summary>
    public static ApiStatus Stats { get; } = new('S', 70, "CGMiner stats");

    /// <summary>71: "Missing check cmd".</summary>
    public static ApiStatus MissingCheck { get; } = new('E', 71, "Missing check cmd");

    /// <summary>72: "Check command".</summary>
    public static ApiStatus Check { get; } = new('S', 72, "Check command");

    /// <summary>78: "CGMiner coin".</summary>
    public static ApiStatus Coin { get; } = new('S', 78, "CGMiner coin");

    /// <summary>104: "ASC count".</summary>
    public static ApiStatus AscCount { get; } = new('S', 104, "ASC count");

    /// <summary>106: "ASCN".</summary>
    public static ApiStatus Asc(int id) => new('S', 106, $"ASC{id}");

    /// <summary>107: "Invalid ASC id N - range is 0 - M".</summary>
    public static ApiStatus InvalidAsc(int id, int count) => new('E', 107, $"Invalid ASC id {id} - range is 0 - {count - 1}");
}
