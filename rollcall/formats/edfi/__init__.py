"""Ed-Fi (docs/sources/edfi.md): XML interchange files (Data Standard 3.x to 5.x), the JSON
folder ``rollcall fetch`` pulls from an ODS/API, the API client, descriptors and the shipped
crosswalk, and the calendar and enrollments derived from sessions."""
