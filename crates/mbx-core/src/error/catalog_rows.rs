catalog! {
    -1021 INVALID_TIMESTAMP 400 ["Timestamp for this request is outside of the recvWindow.", "Timestamp for this request was 1000ms ahead of the server's time."] "Sync clock.";
    -1022 INVALID_SIGNATURE 400 ["Signature for this request is not valid."] "Sign the exact bytes you send.";
    -1100 ILLEGAL_CHARS 400 ["Illegal characters found in a parameter.", "Illegal characters found in parameter '%s'; legal range is '%s'."] "x";
    -1102 MANDATORY_PARAM_EMPTY_OR_MALFORMED 400 ["A mandatory parameter was not sent, was empty/null, or malformed.", "Mandatory parameter '%s' was not sent, was empty/null, or malformed.", "Param '%s' or '%s' must be sent, but both were empty/null!", "Required tag '%s' missing.", "Field value was empty or malformed.", "'%s' contains unexpected value. Cannot be greater than %s."] "x";
    -1111 BAD_PRECISION 400 ["Parameter '%s' has too much precision."] "x";
}
