using System;
using System.Runtime.InteropServices;
using System.Security;

namespace ProfileJobs.Auth
{
    internal static class SecretText
    {
        /// <summary>The plain text of a secret, for the moment it is put on the wire.</summary>
        public static string Reveal(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer) ?? "";
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        public static SecureString Protect(string plain)
        {
            var secret = new SecureString();
            foreach (var c in plain) secret.AppendChar(c);
            secret.MakeReadOnly();
            return secret;
        }
    }
}
