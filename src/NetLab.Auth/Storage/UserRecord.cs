namespace NetLab.Auth.Storage;

/// <summary>One registered user as stored. <see cref="Email"/> keeps the spelling given at registration;
/// look-ups ignore case (see <see cref="EmailKey"/>).</summary>
public sealed record UserRecord(long Id, string Email, string PasswordHash, DateTimeOffset Created, DateTimeOffset? LastLogin)
{
    /// <summary>The case-insensitive identity of an e-mail address, as kept in the unique column.</summary>
    public static string EmailKey(string email) => email.Trim().ToLowerInvariant();
}
