namespace Psistats.CgminerSimulator.Api;

/// <summary>
/// The result of one command: a STATUS and an optional section of records (e.g. "SUMMARY" with one record),
/// or, for <c>quit</c>/<c>restart</c>, a bare word (<c>BYE</c>/<c>RESTART</c>) in place of the status.
/// </summary>
/// <param name="Status">The STATUS; null for a bare word.</param>
/// <param name="Section">The section name (JSON key), or null for a status-only reply.</param>
/// <param name="Records">The section's objects.</param>
/// <param name="TextHeader">In text replies, cgminer writes "SECTION," before the records of single-record commands (summary, version, ...) but not before lists (devs, pools, stats).</param>
/// <param name="Word">BYE or RESTART for quit and restart.</param>
internal sealed record ApiResult(ApiStatus? Status, string? Section, IReadOnlyList<ApiRecord> Records, bool TextHeader, string? Word = null)
{
    /// <summary>A STATUS-only result.</summary>
    public static ApiResult Only(ApiStatus status) => new(status, null, [], false);

    /// <summary>A section with one record, written with its "SECTION," header in text.</summary>
    public static ApiResult Single(ApiStatus status, string section, ApiRecord record) => new(status, section, [record], true);

    /// <summary>A section with a list of records.</summary>
    public static ApiResult List(ApiStatus status, string section, IReadOnlyList<ApiRecord> records) => new(status, section, records, false);

    /// <summary>A bare word in place of the status (api.c's JSON_ACTION: <c>{"STATUS":"BYE","id":1}</c>).</summary>
    public static ApiResult Action(string word) => new(null, null, [], false, word);
}
