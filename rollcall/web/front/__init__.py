"""The pages: home, schools, student lists by band, a student, exports, sign-in."""
