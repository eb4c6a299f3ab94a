#pragma once
// Path text: what can be said of a path before any file system is asked.
#include "error_or.hpp"

namespace rt {

// Rewrites `path` (NUL-terminated, in place) as a root-relative path without "." and ".."
// components or repeated slashes ("a/b"; "" for the root; ".." of the root is the root).
// `trailing_slash` says whether the path ended in a slash (it must name a directory).
// ENAMETOOLONG for a component over 255 bytes.
ErrorOr<void> normalize_path(char* path, bool& trailing_slash);

}  // namespace rt
