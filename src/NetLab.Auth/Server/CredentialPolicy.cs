namespace NetLab.Auth.Server;

/// <summary>What an e-mail address and a password must look like. Each check returns null when the
/// value is fine, or a message that says what is wrong and how to fix it.</summary>
public static class CredentialPolicy
{
    public const int MaxEmailLength = 254;       // RFC 5321 section 4.5.3.1.3 (path) minus the angle brackets
    public const int MaxLocalPartLength = 64;    // RFC 5321 section 4.5.3.1.1
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;    // bounds the hashing work one request can cause

    /// <summary>RFC 5322 section 3.2.3 atext, the characters a dot-atom local part may use besides
    /// letters and digits (non-ASCII letters are allowed as in RFC 6531).</summary>
    private const string LocalSymbols = "!#$%&'*+-/=?^_`{|}~";

    public static string? CheckEmail(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return "an e-mail address is required, e.g. alice@lab.test";
        }
        if (email.Length > MaxEmailLength)
        {
            return $"the e-mail address is longer than {MaxEmailLength} characters";
        }
        int at = email.LastIndexOf('@');
        if (at <= 0 || at == email.Length - 1)
        {
            return "the e-mail address must look like name@domain, e.g. alice@lab.test";
        }
        string local = email[..at];
        string domain = email[(at + 1)..];
        if (local.Length > MaxLocalPartLength)
        {
            return $"the part before @ is longer than {MaxLocalPartLength} characters";
        }
        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal)
            || !local.All(c => char.IsAsciiLetterOrDigit(c) || c == '.' || LocalSymbols.Contains(c) || (c > 127 && char.IsLetterOrDigit(c))))
        {
            return "the part before @ may hold letters, digits, single dots and !#$%&'*+-/=?^_`{|}~ (no spaces, quotes or @)";
        }
        string[] labels = domain.Split('.');
        if (labels.Length < 2 || labels.Any(label => label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-')
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            return "the domain after @ must be a host name with a dot, e.g. lab.test (letters, digits, hyphens)";
        }
        return null;
    }

    public static string? CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "a password is required";
        }
        int length = password.EnumerateRunes().Count();
        if (length < MinPasswordLength)
        {
            return $"the password must have at least {MinPasswordLength} characters (it has {length})";
        }
        return length > MaxPasswordLength ? $"the password must have at most {MaxPasswordLength} characters (it has {length})" : null;
    }
}
