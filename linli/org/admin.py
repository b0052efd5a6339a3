from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from linli.org.models import Building, Estate, Household, Organisation, OrgUnit, Person, Tag


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ("name", "kind", "code")
    search_fields = ("name", "code")


@admin.register(Estate)
class EstateAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "community", "property_company")
    search_fields = ("name", "code")


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "estate", "grid")
    search_fields = ("code",)


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("__str__", "area")
    raw_id_fields = ("building", "stairwell")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """ID numbers stay masked here too; the ciphertext is never editable."""

    list_display = ("name", "gender", "birth_date", "id_masked", "status")
    search_fields = ("name",)
    raw_id_fields = ("household",)
    readonly_fields = ("id_masked",)
    exclude = ("id_cipher", "id_index")


admin.site.register(Tag)
admin.site.register(Organisation)
