CREATE FUNCTION app.is_owner(who text)
 RETURNS boolean
 LANGUAGE sql
 STABLE
AS $function$SELECT who = current_user$function$;
-- hazard: changes_authorization
CREATE POLICY notes_own ON app.notes FOR ALL TO zs_case_using_function_a USING (is_owner(owner));
