CREATE FUNCTION app.note_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$BEGIN
  RAISE NOTICE 'changed % (%)', TG_TABLE_NAME, TG_ARGV[0];
  RETURN NULL;
END
$function$;
CREATE FUNCTION app.touch()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$function$;
CREATE TRIGGER docs_touch BEFORE UPDATE ON app.docs FOR EACH ROW EXECUTE FUNCTION app.touch();
