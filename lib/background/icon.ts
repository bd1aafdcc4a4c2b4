/** Notification icon (48×48 PNG: red disc with an exclamation mark), inline so alerts never depend on a packaged file. */
export const ALERT_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAArUlEQVR42u3a0Q2AIAwEUMdh/yFcSxcwCrRXuPOa8O09o0Jaj8MlVGdrV8+iDL0dJhp8GSQ7eCkEHR6GqAoOgYxe9KtKETN3LRsQQlADZp9bBGAYEXnxUIAhBDUg+ulDAroQ1ICMzQcNeEUYsBKQdX6pADwiDDDAAAMMMIAa4LOQCmB5v4g6vARgZ8R/2ir0jS33RncB0LfXZxCZAI+Y5IZ8EmNWmUG3zK8GrmDdPjMng2YSWbgAAAAASUVORK5CYII=';
